package dev.parley.common.protocol;

import jakarta.json.JsonObject;

/** A user as every frame shows one: {@code {id, username, nickname}}. */
public record UserView(long id, String username, String nickname) {

  public JsonObject toJson() {
    return ServerFrames.object()
        .add("id", id)
        .add("username", username)
        .add("nickname", nickname)
        .build();
  }
}
