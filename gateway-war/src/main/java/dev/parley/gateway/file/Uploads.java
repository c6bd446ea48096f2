package dev.parley.gateway.file;

import dev.parley.common.file.Dimensions;
import dev.parley.common.file.FileStore;
import dev.parley.common.file.StoredFile;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accepts an upload: spools it with the size cap, sniffs its type and checks it against the allowed
 * types, reads an image's dimensions, sanitises the name, and stores it.
 */
@ApplicationScoped
public class Uploads {

  private static final System.Logger LOG = System.getLogger(Uploads.class.getName());

  /** The largest file accepted, in bytes. */
  @Inject
  @ConfigProperty(name = "parley.gateway.files.max-bytes", defaultValue = "10485760")
  long maxBytes;

  /** The sniffed content types accepted. */
  @Inject
  @ConfigProperty(
      name = "parley.gateway.files.allowed-types",
      defaultValue = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain")
  List<String> allowedTypes;

  @Inject FileStore files;

  long maxBytes() {
    return maxBytes;
  }

  /**
   * @param fileName the name the client gave, if any
   * @throws ParleyException {@code FILE_TOO_LARGE}, {@code FILE_TYPE_NOT_ALLOWED}, or {@code
   *     INVALID_FIELD} for an empty file
   */
  public StoredFile accept(long ownerId, Optional<String> fileName, InputStream content) {
    try (Upload upload = Upload.spool(content, maxBytes)) {
      if (upload.size() == 0) {
        throw new ParleyException(ErrorCode.INVALID_FIELD, "The file is empty");
      }
      byte[] head = upload.head();
      String type = ContentSniffer.sniff(head, head.length, upload.isText());
      if (!allowed().contains(type)) {
        throw new ParleyException(
            ErrorCode.FILE_TYPE_NOT_ALLOWED, "Files of type " + type + " are not accepted");
      }
      Optional<Dimensions> dimensions;
      try (InputStream in = upload.open()) {
        dimensions = ImageHeaders.read(type, in);
      }
      String name = FileNames.sanitize(fileName.map(Uploads::utf8Name).orElse(null));
      StoredFile stored;
      try (InputStream in = upload.open()) {
        stored = files.create(ownerId, name, type, upload.size(), dimensions, in);
      }
      LOG.log(
          Level.DEBUG,
          "stored file {0} ({1}, {2} bytes) of user {3}",
          stored.id(),
          type,
          upload.size(),
          ownerId);
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a spooled upload", e);
    }
  }

  private Set<String> allowed() {
    return allowedTypes.stream()
        .map(t -> t.strip().toLowerCase(Locale.ROOT))
        .filter(t -> !t.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Browsers send a part's file name as raw UTF-8 bytes; a multipart parser that reads headers as
   * ISO-8859-1 turns "é" into "Ã©". Such a name is decoded again when its bytes are valid UTF-8.
   */
  static String utf8Name(String name) {
    if (name.chars().allMatch(c -> c < 0x80) || name.chars().anyMatch(c -> c > 0xFF)) {
      return name;
    }
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    TextScan scan = new TextScan();
    scan.update(bytes, 0, bytes.length);
    return scan.isText() ? new String(bytes, StandardCharsets.UTF_8) : name;
  }
}
