package dev.parley.common.file;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * File contents as files in a directory ({@code parley.files.directory}), one per id under a
 * two-character fan-out folder ({@code <dir>/Ab/AbCd…}), readable by their owner only. Every
 * process that serves or stores files needs the same directory (a shared volume when there are
 * several hosts). A file is written under a temporary name and moved into place; when the
 * surrounding transaction does not commit, it is removed again.
 */
@ApplicationScoped
@Typed(DirectoryFileContents.class)
public class DirectoryFileContents implements FileContents {

  private static final System.Logger LOG = System.getLogger(DirectoryFileContents.class.getName());

  @Inject
  @ConfigProperty(name = "parley.files.directory")
  Optional<String> directory;

  /** Null outside a container (unit tests): then there is no transaction to follow. */
  @Resource TransactionSynchronizationRegistry transactions;

  @Override
  public void store(String fileId, InputStream content, long size) {
    Path target = pathOf(fileId);
    try {
      Path folder = Files.createDirectories(target.getParent());
      Path part = Files.createTempFile(folder, fileId, ".part");
      try {
        ownerOnly(part);
        long copied;
        // Into the file as created (Files.copy would replace it, and lose its permissions).
        try (OutputStream out = Files.newOutputStream(part)) {
          copied = content.transferTo(out);
        }
        if (copied != size) {
          throw new IOException(
              "expected " + size + " bytes of file " + fileId + ", got " + copied);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store file " + fileId, e);
    }
    removeUnlessCommitted(fileId);
  }

  @Override
  public Optional<InputStream> open(String fileId) {
    try {
      return Optional.of(Files.newInputStream(pathOf(fileId)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file " + fileId, e);
    }
  }

  @Override
  public void delete(String fileId) {
    try {
      Files.deleteIfExists(pathOf(fileId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete file " + fileId, e);
    }
  }

  /** The path of a file; ids are checked first, so that none can point outside the directory. */
  Path pathOf(String fileId) {
    if (!StoredFile.isWellFormedId(fileId)) {
      throw new IllegalArgumentException("not a file id: " + fileId);
    }
    return root().resolve(fileId.substring(0, 2)).resolve(fileId);
  }

  private Path root() {
    return directory
        .filter(d -> !d.isBlank())
        .map(d -> Paths.get(d).toAbsolutePath())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "parley.files.store=directory needs parley.files.directory"));
  }

  private void removeUnlessCommitted(String fileId) {
    if (transactions == null || transactions.getTransactionKey() == null) {
      return;
    }
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
              try {
                delete(fileId);
              } catch (UncheckedIOException e) {
                LOG.log(Level.WARNING, "cannot remove file {0} of a rolled-back upload", fileId);
              }
            }
          }
        });
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own permissions must protect the files.
    }
  }
}
