-- Parley schema v1. Runs unchanged on MySQL 8 / MariaDB and on H2 in MODE=MySQL;
-- ${table_options} is the utf8mb4 InnoDB clause on MySQL and empty on H2.

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT,
  username VARCHAR(32) NOT NULL,
  nickname VARCHAR(64) NOT NULL,
  password_hash VARCHAR(200),
  external_issuer VARCHAR(255),
  external_subject VARCHAR(255),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_users_username UNIQUE (username),
  CONSTRAINT uq_users_external UNIQUE (external_issuer, external_subject)
) ${table_options};

CREATE TABLE rooms (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(64) NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id)
) ${table_options};

CREATE TABLE memberships (
  room_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (room_id, user_id)
) ${table_options};

-- "Which rooms is this user in" runs on every connect.
CREATE INDEX ix_memberships_user ON memberships (user_id);

CREATE TABLE sequence_counters (
  conversation VARCHAR(64) NOT NULL,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (conversation)
) ${table_options};

CREATE TABLE messages (
  id BIGINT NOT NULL AUTO_INCREMENT,
  conversation VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  sender_id BIGINT NOT NULL,
  client_id VARCHAR(64) NOT NULL,
  kind VARCHAR(8) NOT NULL,
  body TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  -- History, sync and gap repair read by (conversation, seq); it also makes seqs unique.
  CONSTRAINT uq_messages_seq UNIQUE (conversation, seq),
  -- Retried sends are found (and duplicates refused) by sender and client id.
  CONSTRAINT uq_messages_client UNIQUE (sender_id, client_id)
) ${table_options};
