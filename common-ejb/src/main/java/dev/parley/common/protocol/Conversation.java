package dev.parley.common.protocol;

import java.util.Optional;

/**
 * A conversation id of the contract: {@code room:<roomId>} or {@code dm:<a>:<b>} with {@code a <
 * b}. Each conversation has its own gap-free message sequence.
 */
public record Conversation(String id) {

  public Conversation {
    if (!valid(id)) {
      throw new IllegalArgumentException("not a conversation id: " + id);
    }
  }

  public static Conversation ofRoom(long roomId) {
    return new Conversation("room:" + roomId);
  }

  public static Conversation ofDirect(long userA, long userB) {
    return new Conversation("dm:" + Math.min(userA, userB) + ":" + Math.max(userA, userB));
  }

  /** Parses a wire id, empty when it is not one of the two forms. */
  public static Optional<Conversation> parse(String id) {
    return valid(id) ? Optional.of(new Conversation(id)) : Optional.empty();
  }

  private static boolean valid(String id) {
    if (id == null || id.length() > 64) {
      return false;
    }
    String[] parts = id.split(":", -1);
    try {
      if (parts.length == 2 && parts[0].equals("room")) {
        return Long.parseLong(parts[1]) > 0 && id.equals("room:" + Long.parseLong(parts[1]));
      }
      if (parts.length == 3 && parts[0].equals("dm")) {
        long a = Long.parseLong(parts[1]);
        long b = Long.parseLong(parts[2]);
        return a > 0 && a < b && id.equals("dm:" + a + ":" + b);
      }
    } catch (NumberFormatException e) {
      return false;
    }
    return false;
  }

  public boolean isRoom() {
    return id.startsWith("room:");
  }

  /** The room id of a room conversation. */
  public Optional<Long> roomId() {
    return isRoom() ? Optional.of(Long.parseLong(id.substring(5))) : Optional.empty();
  }

  /** The two user ids of a direct conversation. */
  public Optional<long[]> directUsers() {
    if (isRoom()) {
      return Optional.empty();
    }
    String[] parts = id.split(":");
    return Optional.of(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
  }

  @Override
  public String toString() {
    return id;
  }
}
