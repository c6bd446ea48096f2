package dev.parley.common.protocol;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Encodes the frames the server sends. Each method returns the finished JSON text, so that a frame
 * going to many connections is encoded once.
 */
public final class ServerFrames {

  private static final JsonProvider JSON = JsonProvider.provider();

  private ServerFrames() {}

  /** A fresh builder from the cached provider (looking the provider up per call is slow). */
  public static JsonObjectBuilder object() {
    return JSON.createObjectBuilder();
  }

  public static jakarta.json.JsonArrayBuilder array() {
    return JSON.createArrayBuilder();
  }

  /**
   * Parses a JSON object with the cached provider ({@code Json.createReader} looks the provider up
   * with a ServiceLoader on every call: a profile of a busy node found that scanning its jars).
   *
   * @throws jakarta.json.JsonException when {@code json} is not a JSON object
   */
  public static JsonObject parseObject(String json) {
    try (var reader = JSON.createReader(new java.io.StringReader(json))) {
      return reader.readObject();
    }
  }

  public static String welcome(UserView user, String nodeId, int heartbeatSeconds) {
    return typed("welcome")
        .add("user", user.toJson())
        .add("nodeId", nodeId)
        .add("heartbeat", heartbeatSeconds)
        .build()
        .toString();
  }

  public static String pong() {
    return "{\"type\":\"pong\"}";
  }

  /** An ack whose result fields are those of {@code result}, beside {@code type} and {@code id}. */
  public static String ack(String id, JsonObject result) {
    JsonObjectBuilder b = typed("ack").add("id", id);
    for (var e : result.entrySet()) {
      b.add(e.getKey(), e.getValue());
    }
    return b.build().toString();
  }

  public static String ack(String id) {
    return ack(id, JsonValue.EMPTY_JSON_OBJECT);
  }

  /** An error answer; {@code id} is null when the frame had no usable request id. */
  public static String error(String id, ErrorCode code, String message) {
    JsonObjectBuilder b = typed("error");
    if (id != null) {
      b.add("id", id);
    }
    return b.add("code", code.name()).add("message", message).build().toString();
  }

  public static String message(MessageView message) {
    JsonObjectBuilder b = typed("message");
    for (var e : message.toJson().entrySet()) {
      b.add(e.getKey(), e.getValue());
    }
    return b.build().toString();
  }

  public static String roomCreated(RoomView room) {
    return typed("room.created").add("room", room.toJson()).build().toString();
  }

  public static String memberJoined(RoomView room, UserView user) {
    return member("member.joined", room, user);
  }

  public static String memberLeft(RoomView room, UserView user) {
    return member("member.left", room, user);
  }

  public static String presence(UserView user, boolean online) {
    return typed("presence").add("user", user.toJson()).add("online", online).build().toString();
  }

  public static String read(Conversation conversation, UserView user, long seq) {
    return typed("read")
        .add("conversation", conversation.id())
        .add("user", user.toJson())
        .add("seq", seq)
        .build()
        .toString();
  }

  public static String typing(Conversation conversation, UserView user) {
    return typed("typing")
        .add("conversation", conversation.id())
        .add("user", user.toJson())
        .build()
        .toString();
  }

  public static String kicked(String reason) {
    return typed("kicked").add("reason", reason).build().toString();
  }

  public static String draining(String reason) {
    return typed("draining").add("reason", reason).build().toString();
  }

  private static String member(String type, RoomView room, UserView user) {
    return typed(type).add("room", room.toJson()).add("user", user.toJson()).build().toString();
  }

  private static JsonObjectBuilder typed(String type) {
    return JSON.createObjectBuilder().add("type", type);
  }
}
