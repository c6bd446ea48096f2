package dev.parley.imnode.room;

import dev.parley.common.message.MessageStore;
import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.RoomView;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.common.room.Room;
import dev.parley.common.room.RoomStore;
import dev.parley.common.room.RoomSummary;
import dev.parley.common.user.User;
import dev.parley.imnode.presence.OnlineUsers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * The rules of rooms. Joining and leaving are idempotent: a repeated join or leave is acknowledged
 * and announces nothing. Events are fired inside the transaction; delivery observes them after it
 * commits. Member lists come in pages ({@link LargeRooms}), each read with one query and its online
 * flags with one cluster call.
 */
@ApplicationScoped
@Transactional
public class Rooms {

  @Inject RoomStore store;
  @Inject MessageStore messages;
  @Inject OnlineUsers online;
  @Inject LargeRooms large;
  @Inject Event<RoomCreated> created;
  @Inject Event<MemberJoined> joined;
  @Inject Event<MemberLeft> left;

  public RoomView create(UserView creator, String name, String originConnection) {
    Room room = store.create(name, creator.id());
    messages.openConversation(Conversation.ofRoom(room.id()));
    created.fire(new RoomCreated(room.view(), creator, originConnection));
    return room.view();
  }

  /**
   * Joins a room; the ack result {@code {room, members, memberCount, next?}} with the first page of
   * members.
   */
  public JsonObject join(UserView user, long roomId, String originConnection) {
    Room room = existing(roomId);
    boolean added = store.join(roomId, user.id());
    long memberCount = store.memberCount(roomId);
    if (added) {
      joined.fire(
          new MemberJoined(room.view(), user, originConnection, large.announces(memberCount)));
    }
    MemberPage page = page(roomId, 0, large.memberPage(), memberCount);
    JsonObjectBuilder result = ServerFrames.object().add("room", room.view().toJson());
    return page.addTo(result, online.onlineAmong(page.ids())).build();
  }

  public void leave(UserView user, long roomId, String originConnection) {
    Room room = existing(roomId);
    if (store.leave(roomId, user.id())) {
      // Announced as widely as the join was: the room's size with the user still counted.
      long before = store.memberCount(roomId) + 1;
      left.fire(new MemberLeft(room.view(), user, originConnection, large.announces(before)));
    }
  }

  /** The ack result of {@code room.list}: {@code {rooms:[{id, name, memberCount, joined}]}}. */
  public JsonObject directory(UserView user) {
    JsonArrayBuilder rooms = ServerFrames.array();
    for (RoomSummary r : store.directory(user.id())) {
      rooms.add(
          ServerFrames.object()
              .add("id", r.id())
              .add("name", r.name())
              .add("memberCount", r.memberCount())
              .add("joined", r.joined()));
    }
    return ServerFrames.object().add("rooms", rooms).build();
  }

  /**
   * The ack result of {@code room.members}: {@code {members, memberCount, next?}}, the members
   * after the user id {@code after} in user id order, at most {@code limit}.
   */
  public JsonObject memberList(long roomId, Optional<Long> after, Optional<Long> limit) {
    int size = large.pageSize(limit);
    existing(roomId);
    long memberCount = store.memberCount(roomId);
    MemberPage page = page(roomId, after.orElse(0L), size, memberCount);
    return page.addTo(ServerFrames.object(), online.onlineAmong(page.ids())).build();
  }

  private MemberPage page(long roomId, long after, int size, long memberCount) {
    List<UserView> fetched =
        store.membersAfter(roomId, after, size + 1).stream().map(User::view).toList();
    return MemberPage.of(fetched, size, memberCount);
  }

  private Room existing(long roomId) {
    return store
        .find(roomId)
        .orElseThrow(() -> new ParleyException(ErrorCode.ROOM_NOT_FOUND, "No room " + roomId));
  }
}
