/**
 * Uploaded files: the {@link dev.parley.common.file.StoredFile} metadata and its {@link
 * dev.parley.common.file.FileStore}, the {@link dev.parley.common.file.FileContents} that keep the
 * bytes (in the database by default, or in a directory, chosen by {@code parley.files.store}), and
 * the signed, expiring download URLs of {@link dev.parley.common.file.FileUrls} that the gateway
 * checks and that gateway and IM nodes both mint. An S3-compatible store would be a third {@code
 * FileContents}: the interface streams and knows nothing of where bytes live.
 */
package dev.parley.common.file;
