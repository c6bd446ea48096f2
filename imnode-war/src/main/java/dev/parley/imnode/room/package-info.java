/**
 * What rooms mean to a connected user: creating, joining and leaving rooms, the directory and the
 * member list. {@link dev.parley.imnode.room.Rooms} keeps the rules and announces each change as a
 * past-tense CDI event ({@link dev.parley.imnode.room.RoomCreated}, {@link
 * dev.parley.imnode.room.MemberJoined}, {@link dev.parley.imnode.room.MemberLeft}) for delivery.
 */
package dev.parley.imnode.room;
