package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }

  @Test
  void ack_flattensTheResultBesideTypeAndId() {
    JsonObject ack = parse(ServerFrames.ack("r1", ServerFrames.object().add("seq", 4).build()));
    assertEquals("ack", ack.getString("type"));
    assertEquals("r1", ack.getString("id"));
    assertEquals(4, ack.getInt("seq"));
  }

  @Test
  void error_escapesUserText() {
    JsonObject error =
        parse(ServerFrames.error("\"q\"", ErrorCode.ROOM_NOT_FOUND, "no <room> \"x\""));
    assertEquals("\"q\"", error.getString("id"));
    assertEquals("ROOM_NOT_FOUND", error.getString("code"));
    assertEquals("no <room> \"x\"", error.getString("message"));
  }
}
