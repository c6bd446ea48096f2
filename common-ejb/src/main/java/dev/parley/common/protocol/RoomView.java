package dev.parley.common.protocol;

import jakarta.json.JsonObject;

/** A room as frames show one: {@code {id, name}}. */
public record RoomView(long id, String name) {

  public JsonObject toJson() {
    return ServerFrames.object().add("id", id).add("name", name).build();
  }
}
