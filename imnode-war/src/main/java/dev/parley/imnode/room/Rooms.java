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
import dev.parley.imnode.presence.OnlineUsers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

/**
 * The rules of rooms. Joining and leaving are idempotent: a repeated join or leave is acknowledged
 * and announces nothing. Events are fired inside the transaction; delivery observes them after it
 * commits.
 */
@ApplicationScoped
@Transactional
public class Rooms {

  @Inject RoomStore store;
  @Inject MessageStore messages;
  @Inject OnlineUsers online;
  @Inject Event<RoomCreated> created;
  @Inject Event<MemberJoined> joined;
  @Inject Event<MemberLeft> left;

  public RoomView create(UserView creator, String name, String originConnection) {
    Room room = store.create(name, creator.id());
    messages.openConversation(Conversation.ofRoom(room.id()));
    created.fire(new RoomCreated(room.view(), creator, originConnection));
    return room.view();
  }

  /** Joins a room; the ack result {@code {room, members}}. */
  public JsonObject join(UserView user, long roomId, String originConnection) {
    Room room = existing(roomId);
    if (store.join(roomId, user.id())) {
      joined.fire(new MemberJoined(room.view(), user, originConnection));
    }
    return ServerFrames.object()
        .add("room", room.view().toJson())
        .add("members", members(roomId))
        .build();
  }

  public void leave(UserView user, long roomId, String originConnection) {
    Room room = existing(roomId);
    if (store.leave(roomId, user.id())) {
      left.fire(new MemberLeft(room.view(), user, originConnection));
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

  /** The ack result of {@code room.members}. */
  public JsonObject memberList(long roomId) {
    existing(roomId);
    return ServerFrames.object().add("members", members(roomId)).build();
  }

  private JsonArray members(long roomId) {
    JsonArrayBuilder members = ServerFrames.array();
    store.members(roomId).stream()
        .map(u -> u.view())
        .forEach(
            u ->
                members.add(
                    ServerFrames.object()
                        .add("id", u.id())
                        .add("username", u.username())
                        .add("nickname", u.nickname())
                        .add("online", online.isOnline(u.id()))));
    return members.build();
  }

  private Room existing(long roomId) {
    return store
        .find(roomId)
        .orElseThrow(() -> new ParleyException(ErrorCode.ROOM_NOT_FOUND, "No room " + roomId));
  }
}
