package dev.parley.imnode.room;

import dev.parley.common.protocol.RoomView;
import dev.parley.common.protocol.UserView;

/** A user joined a room. */
public record MemberJoined(RoomView room, UserView user, String originConnection) {}
