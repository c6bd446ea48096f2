package dev.parley.common.room;

/** A room as the directory lists it. */
public record RoomSummary(long id, String name, long memberCount, boolean joined) {}
