-- How far each user has read in each conversation (for unread counts and read receipts).
CREATE TABLE read_positions (
  user_id BIGINT NOT NULL,
  conversation VARCHAR(64) NOT NULL,
  read_seq BIGINT NOT NULL,
  PRIMARY KEY (user_id, conversation)
) ${table_options};

-- The direct conversations of each user, one row per participant, so that sync and
-- conversation.list find a user's DMs without scanning messages.
CREATE TABLE direct_conversations (
  user_id BIGINT NOT NULL,
  conversation VARCHAR(64) NOT NULL,
  other_user_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, conversation)
) ${table_options};
