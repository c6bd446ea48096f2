package dev.parley.gateway.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class UploadTest {

  @Test
  void spool_keepsTheBytesAndTheHead() throws IOException {
    byte[] bytes = new byte[200_000];
    Arrays.fill(bytes, (byte) 'z');
    bytes[0] = 'a';
    try (Upload upload = Upload.spool(new ByteArrayInputStream(bytes), bytes.length)) {
      assertEquals(bytes.length, upload.size());
      assertEquals(ContentSniffer.HEAD_BYTES, upload.head().length);
      assertEquals('a', upload.head()[0]);
      assertTrue(upload.isText());
      try (InputStream in = upload.open()) {
        assertArrayEquals(bytes, in.readAllBytes());
      }
    }
  }

  @Test
  void spool_stopsReadingOneByteBeyondTheCap() {
    CountingStream endless = new CountingStream();
    ParleyException e = assertThrows(ParleyException.class, () -> Upload.spool(endless, 100_000));
    assertEquals(ErrorCode.FILE_TOO_LARGE, e.code());
    assertTrue(endless.served <= 100_000 + 64 * 1024, "read far beyond the cap: " + endless.served);
  }

  @Test
  void spool_exactlyAtTheCapIsAccepted() {
    try (Upload upload = Upload.spool(new ByteArrayInputStream(new byte[1000]), 1000)) {
      assertEquals(1000, upload.size());
      assertFalse(upload.isText(), "NUL bytes are binary");
    }
  }

  @Test
  void temporaryFiles_areRemovedOnCloseAndOnFailure() throws IOException {
    List<Path> before = uploadsInTemp();
    try (Upload upload = Upload.spool(new ByteArrayInputStream(new byte[10]), 100)) {
      assertEquals(10, upload.size());
      assertEquals(before.size() + 1, uploadsInTemp().size());
    }
    assertThrows(
        ParleyException.class, () -> Upload.spool(new ByteArrayInputStream(new byte[101]), 100));
    assertEquals(before, uploadsInTemp());
  }

  @Test
  void utf8Name_repairsNamesReadAsLatin1() {
    String misread =
        new String("café 你好.txt".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertEquals("café 你好.txt", Uploads.utf8Name(misread));
    assertEquals("café.txt", Uploads.utf8Name("café.txt"), "real Latin-1 stays");
    assertEquals("plain.txt", Uploads.utf8Name("plain.txt"));
    assertEquals("你好.txt", Uploads.utf8Name("你好.txt"));
  }

  private static List<Path> uploadsInTemp() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("parley-upload-"))
          .sorted()
          .toList();
    }
  }

  /** An endless stream of zeros that counts what it served. */
  private static final class CountingStream extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Arrays.fill(b, off, off + len, (byte) 0);
      served += len;
      return len;
    }
  }
}
