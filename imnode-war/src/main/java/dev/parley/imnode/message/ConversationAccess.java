package dev.parley.imnode.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.room.RoomStore;
import dev.parley.common.user.UserStore;
import dev.parley.imnode.connection.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may write to and read a conversation: room members, or the two users of a DM. A connection
 * that follows a room (it receives the room's messages) belongs to a member, so the frames of the
 * busiest path, sends and typing, are checked without a query; anything else asks the database.
 */
@ApplicationScoped
public class ConversationAccess {

  /** Users are never deleted: one seen is known for good (bounded only to bound memory). */
  private static final int KNOWN_USERS_MAX = 100_000;

  @Inject RoomStore rooms;
  @Inject UserStore users;

  private final Set<Long> knownUsers = ConcurrentHashMap.newKeySet();

  /**
   * As {@link #requireMember(long, Conversation)}, answered without a query when the connection
   * follows the room.
   */
  public void requireMember(Connection origin, Conversation conversation) {
    if (conversation.isRoom() && origin.follows(conversation.id())) {
      return;
    }
    requireMember(origin.user().id(), conversation);
  }

  /**
   * @throws ParleyException {@code ROOM_NOT_FOUND}, {@code USER_NOT_FOUND} or {@code NOT_A_MEMBER}
   */
  public void requireMember(long userId, Conversation conversation) {
    if (conversation.isRoom()) {
      long roomId = conversation.roomId().orElseThrow();
      if (rooms.find(roomId).isEmpty()) {
        throw new ParleyException(ErrorCode.ROOM_NOT_FOUND, "No room " + roomId);
      }
      if (!rooms.isMember(roomId, userId)) {
        throw new ParleyException(ErrorCode.NOT_A_MEMBER, "Join room " + roomId + " first");
      }
      return;
    }
    long[] pair = conversation.directUsers().orElseThrow();
    if (pair[0] != userId && pair[1] != userId) {
      throw new ParleyException(ErrorCode.NOT_A_MEMBER);
    }
    requireUser(pair[0] == userId ? pair[1] : pair[0]);
  }

  /**
   * @throws ParleyException {@code USER_NOT_FOUND} when there is no such user
   */
  public void requireUser(long userId) {
    if (knownUsers.contains(userId)) {
      return;
    }
    if (users.find(userId).isEmpty()) {
      throw new ParleyException(ErrorCode.USER_NOT_FOUND, "No user " + userId);
    }
    if (knownUsers.size() >= KNOWN_USERS_MAX) {
      knownUsers.clear();
    }
    knownUsers.add(userId);
  }
}
