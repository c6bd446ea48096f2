package dev.parley.imnode.room;

import dev.parley.common.protocol.RoomView;
import dev.parley.common.protocol.UserView;

/** A user left a room. */
public record MemberLeft(RoomView room, UserView user, String originConnection) {}
