package dev.parley.imnode.room;

import dev.parley.common.protocol.RoomView;
import dev.parley.common.protocol.UserView;

/**
 * A user joined a room. {@code announced}: whether the room's members hear of it; false in a room
 * of more than {@code parley.imnode.room.announce-limit} members (counting the user), where only
 * the user's own connections do (they start or stop following the room).
 */
public record MemberJoined(
    RoomView room, UserView user, String originConnection, boolean announced) {}
