package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationTest {

  @Test
  void ofDirect_ordersTheTwoUsers() {
    assertEquals("dm:3:9", Conversation.ofDirect(9, 3).id());
    assertArrayEquals(new long[] {3, 9}, Conversation.ofDirect(9, 3).directUsers().orElseThrow());
  }

  @Test
  void parse_acceptsOnlyTheTwoForms() {
    assertEquals(Optional.of(12L), Conversation.parse("room:12").orElseThrow().roomId());
    assertTrue(Conversation.parse("dm:2:1").isEmpty());
    assertTrue(Conversation.parse("dm:1:1").isEmpty());
    assertTrue(Conversation.parse("room:0").isEmpty());
    assertTrue(Conversation.parse("room:007").isEmpty());
    assertTrue(Conversation.parse("room:x").isEmpty());
    assertTrue(Conversation.parse("chan:1").isEmpty());
    assertTrue(Conversation.parse(null).isEmpty());
  }
}
