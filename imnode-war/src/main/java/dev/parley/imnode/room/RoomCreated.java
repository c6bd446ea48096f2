package dev.parley.imnode.room;

import dev.parley.common.protocol.RoomView;
import dev.parley.common.protocol.UserView;

/** A room was created; its creator is its first member. */
public record RoomCreated(RoomView room, UserView creator, String originConnection) {}
