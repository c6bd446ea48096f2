package dev.parley.imnode.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.room.RoomStore;
import dev.parley.common.user.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Who may write to and read a conversation: room members, or the two users of a DM. */
@ApplicationScoped
public class ConversationAccess {

  @Inject RoomStore rooms;
  @Inject UserStore users;

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
    long other = pair[0] == userId ? pair[1] : pair[0];
    if (users.find(other).isEmpty()) {
      throw new ParleyException(ErrorCode.USER_NOT_FOUND, "No user " + other);
    }
  }
}
