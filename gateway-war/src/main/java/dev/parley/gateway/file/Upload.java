package dev.parley.gateway.file;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * The bytes of one upload, copied to a temporary file (owner-only, removed on {@link #close}) while
 * they are counted against a hard cap, and what that one pass learned: the size, the leading bytes
 * for sniffing, and whether it all is UTF-8 text. Never holds more than a buffer in memory.
 */
final class Upload implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Upload.class.getName());
  private static final int BUFFER = 64 * 1024;

  private final Path file;
  private final long size;
  private final byte[] head;
  private final boolean text;

  private Upload(Path file, long size, byte[] head, boolean text) {
    this.file = file;
    this.size = size;
    this.head = head;
    this.text = text;
  }

  /**
   * Reads {@code content} to its end, or until it exceeds {@code maxBytes}.
   *
   * @throws ParleyException {@code FILE_TOO_LARGE} beyond {@code maxBytes}
   */
  static Upload spool(InputStream content, long maxBytes) {
    Path file;
    try {
      file = Files.createTempFile("parley-upload-", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for an upload", e);
    }
    try {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the temporary directory's permissions must do.
      }
      byte[] head = new byte[ContentSniffer.HEAD_BYTES];
      int headLength = 0;
      long size = 0;
      TextScan text = new TextScan();
      byte[] buffer = new byte[BUFFER];
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int n; (n = content.read(buffer)) != -1; ) {
          size += n;
          if (size > maxBytes) {
            throw new ParleyException(
                ErrorCode.FILE_TOO_LARGE, "Files may be at most " + maxBytes + " bytes");
          }
          if (headLength < head.length) {
            int copy = Math.min(n, head.length - headLength);
            System.arraycopy(buffer, 0, head, headLength, copy);
            headLength += copy;
          }
          text.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      return new Upload(file, size, Arrays.copyOf(head, headLength), text.isText());
    } catch (IOException | RuntimeException e) {
      deleteQuietly(file, e);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot read an upload", io);
      }
      throw (RuntimeException) e;
    }
  }

  long size() {
    return size;
  }

  /** The first bytes (up to {@link ContentSniffer#HEAD_BYTES}). */
  byte[] head() {
    return head.clone();
  }

  /** Whether the whole upload is UTF-8 text (see {@link TextScan}). */
  boolean isText() {
    return text;
  }

  /** The bytes from the start, as often as needed. */
  InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot remove the temporary upload file {0}: {1}", file, e);
    }
  }

  private static void deleteQuietly(Path file, Exception cause) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
