-- Each room's member count, kept by the node in the same transaction as every join and leave, so
-- that the directory, the member list's memberCount and the large-room rule (presence and
-- member.joined/left are not announced across rooms above parley.imnode.room.announce-limit) read
-- one column instead of counting memberships. No index: it is only read for rows already found by
-- primary key, and every join and leave writes it.
ALTER TABLE rooms ADD COLUMN member_count INT NOT NULL DEFAULT 0;

UPDATE rooms SET member_count = (SELECT COUNT(*) FROM memberships m WHERE m.room_id = rooms.id);
