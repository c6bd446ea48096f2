-- Uploaded files. Runs unchanged on MySQL 8 / MariaDB and on H2 in MODE=MySQL (where LONGBLOB is
-- an alias of BLOB); ${table_options} is the utf8mb4 InnoDB clause on MySQL and empty on H2.

-- What is known about a file: who uploaded it, its sanitised name, the type sniffed from its bytes,
-- and an image's dimensions. Ids are random base64url strings, compared case-sensitively.
CREATE TABLE files (
  id VARCHAR(32) NOT NULL,
  owner_id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  size_bytes BIGINT NOT NULL,
  width INT,
  height INT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id)
) ${table_options};

CREATE INDEX ix_files_owner ON files (owner_id);

-- The bytes of each file when parley.files.store=database (the default). LONGBLOB holds up to
-- 4 GiB; a single file must also fit MySQL's max_allowed_packet (16 MiB on MariaDB by default).
CREATE TABLE file_blobs (
  file_id VARCHAR(32) NOT NULL,
  data LONGBLOB NOT NULL,
  PRIMARY KEY (file_id)
) ${table_options};
