package dev.parley.common.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes client frames. Every way a frame can be wrong ends in a {@link FrameRejected} with a
 * message a client author can act on; nothing else escapes.
 */
public final class ClientFrames {

  /** The longest request id a client may choose. */
  public static final int MAX_ID_LENGTH = 64;

  /** The most messages one {@code history} call returns. */
  public static final int MAX_HISTORY = 100;

  /** The longest token {@code auth.renew} accepts (the gateway's are about 900 characters). */
  public static final int MAX_TOKEN = 8192;

  private static final JsonProvider JSON = JsonProvider.provider();

  private ClientFrames() {}

  public static ClientFrame decode(String text) {
    JsonObject frame = parseObject(text);
    String id = requestId(frame);
    JsonValue typeValue = frame.get("type");
    if (!(typeValue instanceof JsonString type)) {
      throw new FrameRejected(ErrorCode.BAD_FRAME, "A frame needs a string 'type'", id);
    }
    Fields f = new Fields(frame, id);
    return switch (type.getString()) {
      case "ping" -> new ClientFrame.Ping();
      case "typing" -> new ClientFrame.Typing(f.conversation("conversation"));
      case "auth.renew" -> new ClientFrame.AuthRenew(f.id(), f.text("token", 1, MAX_TOKEN));
      case "room.create" -> new ClientFrame.RoomCreate(f.id(), f.text("name", 1, 64));
      case "room.join" -> new ClientFrame.RoomJoin(f.id(), f.positive("room"));
      case "room.leave" -> new ClientFrame.RoomLeave(f.id(), f.positive("room"));
      case "room.list" -> new ClientFrame.RoomList(f.id());
      case "room.members" ->
          new ClientFrame.RoomMembers(
              f.id(), f.positive("room"), f.optionalPositive("after"), f.optionalPositive("limit"));
      case "message.send" -> messageSend(f);
      case "sync" -> new ClientFrame.Sync(f.id(), f.seqMap("after"));
      case "history" ->
          new ClientFrame.History(
              f.id(),
              f.conversation("conversation"),
              f.optionalPositive("before"),
              f.optionalPositive("limit").map(l -> (int) Math.min(l, MAX_HISTORY)).orElse(50));
      case "conversation.list" -> new ClientFrame.ConversationList(f.id());
      case "read" ->
          new ClientFrame.Read(f.id(), f.conversation("conversation"), f.nonNegative("seq"));
      default ->
          throw new FrameRejected(
              ErrorCode.UNKNOWN_TYPE, "Unknown frame type '" + clip(type.getString()) + "'", id);
    };
  }

  private static ClientFrame messageSend(Fields f) {
    Optional<Long> room = f.optionalPositive("room");
    Optional<Long> user = f.optionalPositive("user");
    if (room.isPresent() == user.isPresent()) {
      throw f.invalid("message.send needs exactly one of 'room' and 'user'");
    }
    String kindName = f.text("kind", 1, 16);
    MessageKind kind =
        MessageKind.fromWire(kindName)
            .orElseThrow(() -> f.invalid("'kind' must be text, emoji, gif, image or file"));
    Optional<String> fileId = f.optionalText("fileId", 128);
    if ((kind == MessageKind.IMAGE || kind == MessageKind.FILE) && fileId.isEmpty()) {
      throw f.invalid("'" + kind.wireName() + "' messages need a 'fileId'");
    }
    String body = f.optionalText("body", Integer.MAX_VALUE).orElse("");
    if (body.isBlank() && fileId.isEmpty()) {
      throw f.invalid("'body' must not be empty");
    }
    return new ClientFrame.MessageSend(f.id(), room, user, kind, body, fileId);
  }

  private static JsonObject parseObject(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new FrameRejected(ErrorCode.BAD_FRAME, "A frame must be one JSON object", null);
      }
      JsonObject object = parser.getObject();
      if (parser.hasNext()) {
        throw new FrameRejected(ErrorCode.BAD_FRAME, "A frame must be one JSON object", null);
      }
      return object;
    } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
      throw new FrameRejected(ErrorCode.BAD_FRAME, "A frame must be valid JSON", null);
    }
  }

  private static String requestId(JsonObject frame) {
    if (frame.get("id") instanceof JsonString s
        && !s.getString().isEmpty()
        && s.getString().length() <= MAX_ID_LENGTH) {
      return s.getString();
    }
    return null;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** Typed access to the fields of one frame, each failure naming the field. */
  private record Fields(JsonObject frame, String requestId) {

    FrameRejected invalid(String message) {
      return new FrameRejected(ErrorCode.INVALID_FIELD, message, requestId);
    }

    String id() {
      if (requestId == null) {
        throw new FrameRejected(
            ErrorCode.BAD_FRAME,
            "A request needs a string 'id' of 1 to " + MAX_ID_LENGTH + " characters",
            null);
      }
      return requestId;
    }

    String text(String name, int min, int max) {
      return optionalText(name, max)
          .filter(s -> s.strip().length() >= min)
          .map(String::strip)
          .orElseThrow(() -> invalid("'" + name + "' must be a non-empty string"));
    }

    Optional<String> optionalText(String name, int max) {
      JsonValue value = frame.get(name);
      if (value == null || value == JsonValue.NULL) {
        return Optional.empty();
      }
      if (!(value instanceof JsonString s)) {
        throw invalid("'" + name + "' must be a string");
      }
      if (s.getString().length() > max) {
        throw invalid("'" + name + "' must be at most " + max + " characters");
      }
      return Optional.of(s.getString());
    }

    long positive(String name) {
      return optionalPositive(name)
          .orElseThrow(() -> invalid("'" + name + "' must be a positive integer"));
    }

    long nonNegative(String name) {
      JsonValue value = frame.get(name);
      if (value instanceof JsonNumber n && n.isIntegral() && n.longValue() >= 0) {
        return n.longValue();
      }
      throw invalid("'" + name + "' must be an integer of 0 or more");
    }

    Optional<Long> optionalPositive(String name) {
      JsonValue value = frame.get(name);
      if (value == null || value == JsonValue.NULL) {
        return Optional.empty();
      }
      if (value instanceof JsonNumber n && n.isIntegral() && n.longValue() > 0) {
        return Optional.of(n.longValue());
      }
      throw invalid("'" + name + "' must be a positive integer");
    }

    Conversation conversation(String name) {
      return optionalText(name, 64)
          .flatMap(Conversation::parse)
          .orElseThrow(
              () -> invalid("'" + name + "' must be a conversation id: room:<id> or dm:<a>:<b>"));
    }

    Map<Conversation, Long> seqMap(String name) {
      JsonValue value = frame.get(name);
      Map<Conversation, Long> result = new LinkedHashMap<>();
      if (value == null || value == JsonValue.NULL) {
        return result;
      }
      if (!(value instanceof JsonObject object)) {
        throw invalid("'" + name + "' must be an object of conversation ids to seqs");
      }
      for (Map.Entry<String, JsonValue> e : object.entrySet()) {
        Conversation c =
            Conversation.parse(e.getKey())
                .orElseThrow(() -> invalid("'" + clip(e.getKey()) + "' is not a conversation id"));
        if (!(e.getValue() instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < 0) {
          throw invalid("the seq of '" + c + "' must be an integer of 0 or more");
        }
        result.put(c, n.longValue());
      }
      return result;
    }
  }
}
