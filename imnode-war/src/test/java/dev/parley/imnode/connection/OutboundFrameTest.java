package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire form of a text frame (RFC 6455 section 5.2), for the three length encodings. */
class OutboundFrameTest {

  @Test
  void shortPayload_hasATwoByteHeader() {
    byte[] wire = OutboundFrame.encode("héllo");
    byte[] payload = "héllo".getBytes(StandardCharsets.UTF_8);
    assertEquals(0x81, wire[0] & 0xff, "FIN + text opcode");
    assertEquals(payload.length, wire[1], "length in the second byte, mask bit clear");
    assertArrayEquals(payload, Arrays.copyOfRange(wire, 2, wire.length));
  }

  @Test
  void payloadOf126To65535Bytes_hasASixteenBitLength() {
    for (int n : new int[] {126, 300, 65535}) {
      byte[] wire = OutboundFrame.encode("x".repeat(n));
      assertEquals(126, wire[1]);
      assertEquals(n, ((wire[2] & 0xff) << 8) | (wire[3] & 0xff));
      assertEquals(4 + n, wire.length);
    }
    assertEquals(125, OutboundFrame.encode("x".repeat(125))[1], "125 still fits in one byte");
  }

  @Test
  void payloadOver65535Bytes_hasASixtyFourBitLength() {
    int n = 70_000;
    byte[] wire = OutboundFrame.encode("y".repeat(n));
    assertEquals(127, wire[1]);
    long len = 0;
    for (int i = 2; i < 10; i++) {
      len = (len << 8) | (wire[i] & 0xff);
    }
    assertEquals(n, len);
    assertEquals(10 + n, wire.length);
    assertEquals('y', wire[10]);
  }

  @Test
  void wire_isEncodedOnceAndShared() {
    OutboundFrame f = OutboundFrame.of("{\"type\":\"message\"}");
    assertSame(f.wire(), f.wire());
  }
}
