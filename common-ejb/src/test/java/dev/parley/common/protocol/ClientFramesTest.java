package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientFramesTest {

  @Test
  void decode_readsAMessageSendToARoom() {
    ClientFrame frame =
        ClientFrames.decode(
            "{\"type\":\"message.send\",\"id\":\"a1\",\"room\":7,\"kind\":\"text\",\"body\":\"hi\"}");
    ClientFrame.MessageSend send = assertInstanceOf(ClientFrame.MessageSend.class, frame);
    assertEquals("a1", send.id());
    assertEquals(Optional.of(7L), send.room());
    assertEquals(MessageKind.TEXT, send.kind());
    assertEquals("hi", send.body());
  }

  @Test
  void decode_readsAnAuthRenewWithoutShowingTheTokenInItsText() {
    ClientFrame frame =
        ClientFrames.decode("{\"type\":\"auth.renew\",\"id\":\"r1\",\"token\":\"aaa.bbb.ccc\"}");
    ClientFrame.AuthRenew renew = assertInstanceOf(ClientFrame.AuthRenew.class, frame);
    assertEquals("r1", renew.id());
    assertEquals("aaa.bbb.ccc", renew.token());
    assertFalse(renew.toString().contains("aaa.bbb.ccc"), renew.toString());
  }

  @Test
  void decode_refusesAnAuthRenewWithoutAUsableToken() {
    for (String token : new String[] {"", "\"\"", "42", "\"" + "t".repeat(8193) + "\""}) {
      String text =
          "{\"type\":\"auth.renew\",\"id\":\"r2\""
              + (token.isEmpty() ? "" : ",\"token\":" + token)
              + "}";
      FrameRejected e = assertThrows(FrameRejected.class, () -> ClientFrames.decode(text), text);
      assertEquals(ErrorCode.INVALID_FIELD, e.code(), text);
      assertEquals(Optional.of("r2"), e.requestId());
    }
  }

  @Test
  void decode_refusesInvalidJsonAsBadFrameWithoutId() {
    FrameRejected e = assertThrows(FrameRejected.class, () -> ClientFrames.decode("{nope"));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.requestId().isEmpty());
  }

  @Test
  void decode_refusesAnArrayAsBadFrame() {
    assertEquals(
        ErrorCode.BAD_FRAME,
        assertThrows(FrameRejected.class, () -> ClientFrames.decode("[1,2]")).code());
  }

  @Test
  void decode_keepsTheIdOfAnUnknownType() {
    FrameRejected e =
        assertThrows(
            FrameRejected.class, () -> ClientFrames.decode("{\"type\":\"warp\",\"id\":\"x9\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
    assertEquals(Optional.of("x9"), e.requestId());
  }

  @Test
  void decode_requiresAnIdOnRequests() {
    FrameRejected e =
        assertThrows(FrameRejected.class, () -> ClientFrames.decode("{\"type\":\"room.list\"}"));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
  }

  @Test
  void decode_refusesAnIdLongerThan64() {
    String id = "x".repeat(65);
    FrameRejected e =
        assertThrows(
            FrameRejected.class,
            () -> ClientFrames.decode("{\"type\":\"room.list\",\"id\":\"" + id + "\"}"));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
  }

  @Test
  void decode_refusesAMessageWithBothRoomAndUser() {
    FrameRejected e =
        assertThrows(
            FrameRejected.class,
            () ->
                ClientFrames.decode(
                    "{\"type\":\"message.send\",\"id\":\"a\",\"room\":1,\"user\":2,"
                        + "\"kind\":\"text\",\"body\":\"x\"}"));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals(Optional.of("a"), e.requestId());
  }

  @Test
  void decode_refusesANonIntegerRoom() {
    FrameRejected e =
        assertThrows(
            FrameRejected.class,
            () -> ClientFrames.decode("{\"type\":\"room.join\",\"id\":\"a\",\"room\":\"7\"}"));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
  }

  @Test
  void decode_capsHistoryLimitAt100() {
    ClientFrame.History h =
        assertInstanceOf(
            ClientFrame.History.class,
            ClientFrames.decode(
                "{\"type\":\"history\",\"id\":\"h\",\"conversation\":\"room:3\",\"limit\":5000}"));
    assertEquals(100, h.limit());
  }

  @Test
  void decode_readsSyncPositions() {
    ClientFrame.Sync s =
        assertInstanceOf(
            ClientFrame.Sync.class,
            ClientFrames.decode(
                "{\"type\":\"sync\",\"id\":\"s\",\"after\":{\"room:3\":4,\"dm:1:2\":0}}"));
    assertEquals(4L, s.after().get(new Conversation("room:3")));
    assertEquals(0L, s.after().get(new Conversation("dm:1:2")));
  }

  @Test
  void decode_pingNeedsNoId() {
    assertInstanceOf(ClientFrame.Ping.class, ClientFrames.decode("{\"type\":\"ping\"}"));
  }

  @Test
  void decode_readsRoomMembersWithAndWithoutAPage() {
    ClientFrame.RoomMembers all =
        assertInstanceOf(
            ClientFrame.RoomMembers.class,
            ClientFrames.decode("{\"type\":\"room.members\",\"id\":\"m\",\"room\":7}"));
    assertEquals(Optional.empty(), all.after());
    assertEquals(Optional.empty(), all.limit());
    ClientFrame.RoomMembers page =
        assertInstanceOf(
            ClientFrame.RoomMembers.class,
            ClientFrames.decode(
                "{\"type\":\"room.members\",\"id\":\"m\",\"room\":7,\"after\":42,\"limit\":10}"));
    assertEquals(7, page.room());
    assertEquals(Optional.of(42L), page.after());
    assertEquals(Optional.of(10L), page.limit());
  }

  @Test
  void decode_refusesAnInvalidMemberPageAsInvalidFieldWithTheId() {
    for (String bad :
        new String[] {
          "\"after\":\"abc\"", "\"after\":0", "\"after\":-5", "\"after\":1.5",
          "\"limit\":0", "\"limit\":-1", "\"limit\":\"10\"", "\"limit\":2.5"
        }) {
      FrameRejected e =
          assertThrows(
              FrameRejected.class,
              () ->
                  ClientFrames.decode(
                      "{\"type\":\"room.members\",\"id\":\"p\",\"room\":7," + bad + "}"),
              bad);
      assertEquals(ErrorCode.INVALID_FIELD, e.code(), bad);
      assertEquals(Optional.of("p"), e.requestId(), bad);
    }
  }
}
