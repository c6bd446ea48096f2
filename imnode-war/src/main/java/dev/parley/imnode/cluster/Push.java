package dev.parley.imnode.cluster;

import dev.parley.common.protocol.ServerFrames;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;

/**
 * A frame for the cluster to deliver, already encoded, and to whom: the local subscribers of a
 * conversation, the connections of some users, or everyone. With {@code users}, those users'
 * connections are the receivers even when a {@code conversation} is named too (it then only names
 * the subscription the push changes). A push can also change subscriptions: {@code joiningUser}'s
 * connections subscribe to the conversation before delivery, {@code leavingUser}'s unsubscribe
 * after it. {@code exceptConnection} (node id and connection id) is the sender's connection, which
 * gets an ack instead. With {@code closeCode}, every connection reached is closed with it after the
 * frame (a {@code kicked} session).
 */
public record Push(
    Optional<String> conversation,
    List<Long> users,
    boolean everyone,
    String frame,
    Optional<String> exceptConnection,
    Optional<Long> joiningUser,
    Optional<Long> leavingUser,
    Optional<Integer> closeCode) {

  public Push(
      Optional<String> conversation,
      List<Long> users,
      boolean everyone,
      String frame,
      Optional<String> exceptConnection,
      Optional<Long> joiningUser,
      Optional<Long> leavingUser) {
    this(
        conversation,
        users,
        everyone,
        frame,
        exceptConnection,
        joiningUser,
        leavingUser,
        Optional.empty());
  }

  /** This push, closing every connection it reaches with {@code code} after the frame. */
  public Push closing(int code) {
    return new Push(
        conversation,
        users,
        everyone,
        frame,
        exceptConnection,
        joiningUser,
        leavingUser,
        Optional.of(code));
  }

  public static Push toConversation(String conversation, String frame, String exceptConnection) {
    return new Push(
        Optional.of(conversation),
        List.of(),
        false,
        frame,
        Optional.ofNullable(exceptConnection),
        Optional.empty(),
        Optional.empty());
  }

  public static Push toUsers(List<Long> users, String frame, String exceptConnection) {
    return new Push(
        Optional.empty(),
        List.copyOf(users),
        false,
        frame,
        Optional.ofNullable(exceptConnection),
        Optional.empty(),
        Optional.empty());
  }

  public static Push toEveryone(String frame) {
    return new Push(
        Optional.empty(),
        List.of(),
        true,
        frame,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** This push, about {@code conversation} (for subscriptions), skipping one connection. */
  public Push about(String conversation, String exceptConnection) {
    return new Push(
        Optional.of(conversation),
        users,
        everyone,
        frame,
        Optional.ofNullable(exceptConnection),
        joiningUser,
        leavingUser,
        closeCode);
  }

  /** This push, subscribing {@code userId}'s connections to the conversation first. */
  public Push afterJoining(long userId) {
    return new Push(
        conversation,
        users,
        everyone,
        frame,
        exceptConnection,
        Optional.of(userId),
        leavingUser,
        closeCode);
  }

  /** This push, unsubscribing {@code userId}'s connections from the conversation afterwards. */
  public Push thenLeaving(long userId) {
    return new Push(
        conversation,
        users,
        everyone,
        frame,
        exceptConnection,
        joiningUser,
        Optional.of(userId),
        closeCode);
  }

  String encode() {
    JsonObjectBuilder b = ServerFrames.object().add("frame", frame).add("everyone", everyone);
    conversation.ifPresent(c -> b.add("conversation", c));
    if (!users.isEmpty()) {
      JsonArrayBuilder a = ServerFrames.array();
      users.forEach(a::add);
      b.add("users", a);
    }
    exceptConnection.ifPresent(e -> b.add("except", e));
    joiningUser.ifPresent(u -> b.add("joining", u));
    leavingUser.ifPresent(u -> b.add("leaving", u));
    closeCode.ifPresent(code -> b.add("close", code));
    return b.build().toString();
  }

  static Push decode(String json) {
    return decode(ServerFrames.parseObject(json));
  }

  static Push decode(JsonObject o) {
    return new Push(
        Optional.ofNullable(o.getString("conversation", null)),
        o.containsKey("users")
            ? o.getJsonArray("users").getValuesAs(JsonNumber.class).stream()
                .map(JsonNumber::longValue)
                .toList()
            : List.of(),
        o.getBoolean("everyone", false),
        o.getString("frame"),
        Optional.ofNullable(o.getString("except", null)),
        o.containsKey("joining")
            ? Optional.of(o.getJsonNumber("joining").longValue())
            : Optional.empty(),
        o.containsKey("leaving")
            ? Optional.of(o.getJsonNumber("leaving").longValue())
            : Optional.empty(),
        o.containsKey("close") ? Optional.of(o.getInt("close")) : Optional.empty());
  }
}
