package dev.parley.common.protocol;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/**
 * A stored message as the {@code message} push and {@code history} show it. {@code clientId} is the
 * request id the sender chose, so that the sender's other devices can match it.
 */
public record MessageView(
    Conversation conversation,
    long seq,
    long messageId,
    UserView from,
    MessageKind kind,
    String body,
    Instant sentAt,
    String clientId,
    JsonObject file) {

  public MessageView(
      Conversation conversation,
      long seq,
      long messageId,
      UserView from,
      MessageKind kind,
      String body,
      Instant sentAt,
      String clientId) {
    this(conversation, seq, messageId, from, kind, body, sentAt, clientId, null);
  }

  public JsonObject toJson() {
    JsonObjectBuilder b =
        ServerFrames.object()
            .add("conversation", conversation.id())
            .add("seq", seq)
            .add("messageId", messageId)
            .add("from", from.toJson())
            .add("kind", kind.wireName())
            .add("body", body)
            .add("sentAt", sentAt.toString());
    if (clientId != null) {
      b.add("clientId", clientId);
    }
    if (file != null) {
      b.add("file", file);
    }
    return b.build();
  }
}
