package dev.parley.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FramesTest {

  private static final String MESSAGE =
      "{\"type\":\"message\",\"conversation\":\"room:7\",\"seq\":42,\"from\":{\"id\":3},"
          + "\"body\":\"t123 node-1 say \\\"hi\\\"\",\"sentAt\":\"2026-11-27T05:00:00.000Z\"}";

  @Test
  void string_readsTheFirstValueAndSkipsEscapedQuotes() {
    assertEquals("message", Frames.type(MESSAGE));
    assertEquals("room:7", Frames.string(MESSAGE, "conversation"));
    assertEquals("t123 node-1 say \\\"hi\\\"", Frames.string(MESSAGE, "body"));
    assertNull(Frames.string(MESSAGE, "missing"));
  }

  @Test
  void number_readsIntegersOrTheFallback() {
    assertEquals(42, Frames.number(MESSAGE, "seq", -1));
    assertEquals(3, Frames.number(MESSAGE, "id", -1));
    assertEquals(-1, Frames.number(MESSAGE, "missing", -1));
  }
}
