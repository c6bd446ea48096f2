package dev.parley.common.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * A frame a client sends, decoded and validated by {@link ClientFrames#decode(String)}. Requests
 * carry the client's {@code id}; the server answers each with exactly one {@code ack} or {@code
 * error}. {@link Ping} and {@link Typing} are fire-and-forget and carry none.
 */
public sealed interface ClientFrame {

  /** The client's request id, empty for frames that are not requests. */
  default Optional<String> requestId() {
    return Optional.empty();
  }

  /** A frame answered with exactly one {@code ack} or {@code error}. */
  sealed interface Request extends ClientFrame {
    String id();

    @Override
    default Optional<String> requestId() {
      return Optional.of(id());
    }
  }

  record Ping() implements ClientFrame {}

  record Typing(Conversation conversation) implements ClientFrame {}

  /** A renewed token for the connection's user: the session then lives until its expiry. */
  record AuthRenew(String id, String token) implements Request {
    @Override
    public String toString() {
      return "AuthRenew[id=" + id + ", token=(" + token.length() + " chars)]";
    }
  }

  record RoomCreate(String id, String name) implements Request {}

  record RoomJoin(String id, long room) implements Request {}

  record RoomLeave(String id, long room) implements Request {}

  record RoomList(String id) implements Request {}

  /**
   * A page of a room's members in user id order: those after the user id {@code after} (the
   * previous page's {@code next}), at most {@code limit} (checked against the node's page size).
   */
  record RoomMembers(String id, long room, Optional<Long> after, Optional<Long> limit)
      implements Request {}

  /** Exactly one of {@code room} and {@code user} is present. */
  record MessageSend(
      String id,
      Optional<Long> room,
      Optional<Long> user,
      MessageKind kind,
      String body,
      Optional<String> fileId)
      implements Request {}

  record Sync(String id, Map<Conversation, Long> after) implements Request {}

  record History(String id, Conversation conversation, Optional<Long> before, int limit)
      implements Request {}

  record ConversationList(String id) implements Request {}

  record Read(String id, Conversation conversation, long seq) implements Request {}
}
