package dev.parley.common.file;

import dev.parley.common.protocol.ServerFrames;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An uploaded file: who uploaded it, its sanitised name, the content type sniffed from its bytes,
 * its size, and an image's dimensions. The bytes themselves are kept by {@link FileContents} under
 * the same id, a random, unguessable string.
 */
@Entity
@Table(name = "files", indexes = @Index(name = "ix_files_owner", columnList = "owner_id"))
public class StoredFile {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

  @Id
  @Column(length = 32)
  private String id;

  @Column(name = "owner_id", nullable = false)
  private long ownerId;

  @Column(nullable = false, length = 255)
  private String name;

  @Column(name = "content_type", nullable = false, length = 100)
  private String contentType;

  @Column(name = "size_bytes", nullable = false)
  private long size;

  private Integer width;

  private Integer height;

  @Column(name = "created_at", nullable = false)
  private long createdAt; // epoch milliseconds: portable and precise on H2 and MySQL

  protected StoredFile() {}

  StoredFile(
      long ownerId, String name, String contentType, long size, Optional<Dimensions> dimensions) {
    this.id = newId();
    this.ownerId = ownerId;
    this.name = name;
    this.contentType = contentType;
    this.size = size;
    this.width = dimensions.map(Dimensions::width).orElse(null);
    this.height = dimensions.map(Dimensions::height).orElse(null);
    this.createdAt = Instant.now().toEpochMilli();
  }

  /** 16 random bytes as 22 characters of base64url: unguessable, and safe in paths and URLs. */
  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether a string has the shape of a file id (checked before it reaches a query or a path). */
  public static boolean isWellFormedId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public String id() {
    return id;
  }

  /** The id of the user who uploaded the file. */
  public long ownerId() {
    return ownerId;
  }

  /** The sanitised file name: no path, no control characters. */
  public String name() {
    return name;
  }

  /** The type sniffed from the bytes when the file was uploaded, e.g. {@code image/png}. */
  public String contentType() {
    return contentType;
  }

  public long size() {
    return size;
  }

  /** An image's dimensions; empty for other files and for images whose header was unreadable. */
  public Optional<Dimensions> dimensions() {
    return width == null || height == null
        ? Optional.empty()
        : Optional.of(new Dimensions(width, height));
  }

  public boolean isImage() {
    return contentType.startsWith("image/");
  }

  public Instant createdAt() {
    return Instant.ofEpochMilli(createdAt);
  }

  /**
   * The file as the upload answer and {@code message} frames show it: {@code {fileId, name, size,
   * contentType, url, width?, height?}}, with a download URL minted by {@link FileUrls} for whoever
   * receives it.
   */
  public JsonObject toJson(String url) {
    JsonObjectBuilder json =
        ServerFrames.object()
            .add("fileId", id)
            .add("name", name)
            .add("size", size)
            .add("contentType", contentType)
            .add("url", url);
    dimensions().ifPresent(d -> json.add("width", d.width()).add("height", d.height()));
    return json.build();
  }
}
