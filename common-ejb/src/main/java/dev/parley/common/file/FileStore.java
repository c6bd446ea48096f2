package dev.parley.common.file;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.Optional;

/**
 * Owns JPA access to {@link StoredFile}s, and stores and opens their bytes through the configured
 * {@link FileContents}.
 */
@ApplicationScoped
@Transactional
public class FileStore {

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  @Inject FileContents contents;

  /**
   * Records a new file and stores its bytes, in one transaction: when storing the bytes fails,
   * there is no metadata either.
   *
   * @param size the exact number of bytes {@code content} delivers
   */
  public StoredFile create(
      long ownerId,
      String name,
      String contentType,
      long size,
      Optional<Dimensions> dimensions,
      InputStream content) {
    StoredFile file = new StoredFile(ownerId, name, contentType, size, dimensions);
    em.persist(file);
    em.flush();
    contents.store(file.id(), content, size);
    return file;
  }

  /** A file by id; empty for unknown ids and for strings that are no file id at all. */
  public Optional<StoredFile> find(String fileId) {
    if (!StoredFile.isWellFormedId(fileId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(em.find(StoredFile.class, fileId));
  }

  /**
   * A file that a given user uploaded: what an IM node checks before it accepts an {@code image} or
   * {@code file} message. Empty when the file is unknown or somebody else's.
   */
  public Optional<StoredFile> findOwnedBy(String fileId, long userId) {
    return find(fileId).filter(f -> f.ownerId() == userId);
  }

  /**
   * The bytes of a file, for the caller to read and close; empty when none are stored. Runs outside
   * a transaction, so that the stream can outlive this call.
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public Optional<InputStream> open(StoredFile file) {
    return contents.open(file.id());
  }
}
