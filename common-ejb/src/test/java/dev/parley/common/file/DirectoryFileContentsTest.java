package dev.parley.common.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFileContentsTest {

  @TempDir Path dir;

  private DirectoryFileContents contents() {
    DirectoryFileContents contents = new DirectoryFileContents();
    contents.directory = Optional.of(dir.toString());
    return contents;
  }

  @Test
  void store_thenOpen_givesTheSameBytesFromAnOwnerOnlyFile() throws Exception {
    DirectoryFileContents contents = contents();
    String id = StoredFile.newId();
    byte[] bytes = "hello, files".getBytes();

    contents.store(id, new ByteArrayInputStream(bytes), bytes.length);

    try (InputStream in = contents.open(id).orElseThrow()) {
      assertArrayEquals(bytes, in.readAllBytes());
    }
    Path file = dir.resolve(id.substring(0, 2)).resolve(id);
    assertTrue(Files.isRegularFile(file));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    try (var left = Files.list(file.getParent())) {
      assertEquals(1, left.count(), "no temporary file is left behind");
    }
  }

  @Test
  void open_unknownId_isEmpty() {
    assertEquals(Optional.empty(), contents().open(StoredFile.newId()));
  }

  @Test
  void delete_removesTheBytesAndIsIdempotent() {
    DirectoryFileContents contents = contents();
    String id = StoredFile.newId();
    contents.store(id, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
    contents.delete(id);
    contents.delete(id);
    assertEquals(Optional.empty(), contents.open(id));
  }

  @Test
  void store_withFewerBytesThanAnnounced_failsAndKeepsNothing() throws Exception {
    DirectoryFileContents contents = contents();
    String id = StoredFile.newId();
    assertThrows(
        UncheckedIOException.class,
        () -> contents.store(id, new ByteArrayInputStream(new byte[] {1, 2}), 3));
    assertEquals(Optional.empty(), contents.open(id));
    try (var left = Files.walk(dir)) {
      assertEquals(0, left.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void pathOf_refusesWhatIsNoFileId() {
    DirectoryFileContents contents = contents();
    assertThrows(IllegalArgumentException.class, () -> contents.pathOf("../../etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> contents.open("a/b"));
  }

  @Test
  void withoutDirectory_saysWhichSettingIsMissing() {
    DirectoryFileContents contents = new DirectoryFileContents();
    contents.directory = Optional.empty();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> contents.open(StoredFile.newId()));
    assertTrue(e.getMessage().contains("parley.files.directory"), e.getMessage());
  }
}
