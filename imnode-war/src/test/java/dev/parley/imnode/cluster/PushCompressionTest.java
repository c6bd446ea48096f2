package dev.parley.imnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PushCompressionTest {

  private static String roomMessage(int bodyChars) {
    return "{\"to\":{\"conversation\":\"room:7\"},\"frame\":{\"type\":\"message\",\"body\":\""
        + "Grüße, 你好 — the same words again and again. ".repeat(bodyChars / 40 + 1)
        + "\"}}";
  }

  @Test
  void shortPushes_travelAsText() {
    String push = "{\"frame\":\"short\"}";
    assertSame(push, new PushCompression(1024).encode(push));
  }

  @Test
  void longPushes_travelCompressed_andComeBackTheSame() {
    String push = roomMessage(4000);
    Object wire = new PushCompression(1024).encode(push);
    byte[] bytes = assertInstanceOf(byte[].class, wire);
    assertEquals(PushCompression.DEFLATE_V1, bytes[0]);
    assertTrue(bytes.length < push.length() / 4, "compressed to " + bytes.length);
    assertEquals(push, PushCompression.decode(wire));
    assertEquals(push, PushCompression.decode(push), "text is taken as it is");
  }

  @Test
  void compressedPayloads_alwaysSaveATenth_orTheTextGoesAsItIs() {
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      StringBuilder noise = new StringBuilder();
      int alphabet = 1 << (4 + round % 12);
      for (int i = 0; i < 2000; i++) {
        noise.append((char) (0x21 + random.nextInt(Math.min(alphabet, 0xD000))));
      }
      String push = noise.toString();
      Object wire = new PushCompression(1024).encode(push);
      if (wire instanceof byte[] bytes) {
        int text = push.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes.length <= text - text / 10, bytes.length + " of " + text);
        assertEquals(push, PushCompression.decode(wire));
      } else {
        assertSame(push, wire);
      }
    }
  }

  @Test
  void zeroThreshold_neverCompresses() {
    String push = roomMessage(4000);
    assertSame(push, new PushCompression(0).encode(push));
  }

  @Test
  void damagedPayloads_areRefusedClearly() {
    byte[] wire = (byte[]) new PushCompression(100).encode(roomMessage(4000));
    assertThrows(
        IllegalArgumentException.class,
        () -> PushCompression.decode(Arrays.copyOf(wire, wire.length / 2)));
    byte[] wrongVersion = wire.clone();
    wrongVersion[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> PushCompression.decode(wrongVersion));
    assertThrows(IllegalArgumentException.class, () -> PushCompression.decode(42));
  }
}
