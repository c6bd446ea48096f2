-- The upload an image or file message carries, so that its URL can be minted again later
-- (history, sync) for the conversation's members.
ALTER TABLE messages ADD COLUMN file_id VARCHAR(32);
