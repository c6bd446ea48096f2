package dev.parley.common.file;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses where file contents are kept by configuration: {@code database} (the {@code file_blobs}
 * table, the default) or {@code directory} ({@code parley.files.directory}).
 */
@ApplicationScoped
public class FileStorage {

  @Inject
  @ConfigProperty(name = "parley.files.store", defaultValue = "database")
  String kind;

  @Inject Instance<DatabaseFileContents> database;
  @Inject Instance<DirectoryFileContents> directory;

  @Produces
  @ApplicationScoped
  FileContents contents() {
    return switch (kind) {
      case "database" -> database.get();
      case "directory" -> directory.get();
      default ->
          throw new IllegalStateException(
              "parley.files.store must be database or directory, not " + kind);
    };
  }
}
