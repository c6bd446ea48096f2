package dev.parley.common.file;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where the bytes of uploaded files live, keyed by {@link StoredFile#id()}. Implementations stream
 * (they never hold a whole file in memory on their own account) and fail with {@link
 * UncheckedIOException}, so that a failed store rolls back the caller's transaction.
 *
 * <p>Two implementations, chosen by {@code parley.files.store} (see {@link FileStorage}): {@link
 * DatabaseFileContents} (the default) and {@link DirectoryFileContents}. An S3-compatible object
 * store fits the same three operations.
 */
public interface FileContents {

  /**
   * Stores the bytes of a new file. Runs in the caller's transaction where the backend can: when
   * that transaction does not commit, the bytes are not kept.
   *
   * @param size the exact number of bytes {@code content} delivers
   */
  void store(String fileId, InputStream content, long size);

  /**
   * The bytes of a file, for the caller to read and close (an open stream may hold a database
   * connection). Runs outside any transaction of the caller.
   *
   * @return empty when nothing is stored under the id
   */
  Optional<InputStream> open(String fileId);

  /** Removes the bytes of a file; does nothing when there are none. */
  void delete(String fileId);
}
