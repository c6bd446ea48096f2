package dev.parley.common.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUrlsTest {

  private static final Instant NOW = Instant.parse("2025-11-27T10:00:00Z");
  private static final Pattern URL =
      Pattern.compile("/api/files/([A-Za-z0-9_-]{22})\\?exp=(\\d+)&sig=([A-Za-z0-9_-]{43})");

  @TempDir Path keys;

  private FileUrls urls(Instant now) {
    FileUrls urls = new FileUrls();
    urls.keyDirectory = keys;
    urls.lifetime = Duration.ofHours(1);
    urls.clock = Clock.fixed(now, ZoneOffset.UTC);
    return urls;
  }

  private static Matcher parse(String url) {
    Matcher m = URL.matcher(url);
    assertTrue(m.matches(), url);
    return m;
  }

  @Test
  void signedUrl_isRelativeAndVerifiesUntilItExpires() {
    String id = StoredFile.newId();
    Matcher m = parse(urls(NOW).signedUrl(id));
    assertEquals(id, m.group(1));
    long exp = Long.parseLong(m.group(2));
    assertEquals(NOW.plus(Duration.ofHours(1)).getEpochSecond(), exp);

    assertTrue(urls(NOW).verify(id, exp, m.group(3)));
    assertTrue(urls(NOW.plusSeconds(3599)).verify(id, exp, m.group(3)));
    assertFalse(urls(NOW.plusSeconds(3600)).verify(id, exp, m.group(3)), "expired at exp");
    assertFalse(urls(NOW.plusSeconds(7200)).verify(id, exp, m.group(3)));
  }

  @Test
  void verify_refusesTamperedIdExpiryOrSignature() {
    FileUrls urls = urls(NOW);
    String id = StoredFile.newId();
    Matcher m = parse(urls.signedUrl(id, NOW.plusSeconds(600)));
    long exp = Long.parseLong(m.group(2));
    String sig = m.group(3);
    String flipped = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);

    assertTrue(urls.verify(id, exp, sig));
    assertFalse(urls.verify(StoredFile.newId(), exp, sig), "another file");
    assertFalse(urls.verify(id, exp + 1, sig), "a later expiry");
    assertFalse(urls.verify(id, exp, flipped), "a changed signature");
    assertFalse(urls.verify(id, exp, sig.substring(1)), "a shorter signature");
    assertFalse(urls.verify(id, exp, ""));
    assertFalse(urls.verify(id, exp, null));
    assertFalse(urls.verify("../" + id.substring(3), exp, sig), "not a file id");
    assertFalse(urls.verify(null, exp, sig));
  }

  @Test
  void signature_isHmacSha256OfIdAndExpiryWithTheKeyFile() throws Exception {
    FileUrls urls = urls(NOW);
    String id = StoredFile.newId();
    Matcher m = parse(urls.signedUrl(id, NOW.plusSeconds(60)));

    // The documented format, which the gateway's tests rely on to mint URLs of their own.
    byte[] key =
        Base64.getUrlDecoder().decode(Files.readString(keys.resolve(FileUrls.KEY_FILE)).strip());
    assertEquals(32, key.length);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal((id + ":" + m.group(2)).getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, m.group(3));
  }

  @Test
  void key_isGeneratedOnceOwnerOnlyAndSharedThroughTheDirectory() throws Exception {
    Path dir = keys.resolve("nested/keys");
    FileUrls gateway = urls(NOW);
    gateway.keyDirectory = dir;
    String id = StoredFile.newId();
    Matcher m = parse(gateway.signedUrl(id));

    Path file = dir.resolve(FileUrls.KEY_FILE);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));

    // A node started later on the same directory verifies (and mints) the same URLs.
    FileUrls node = urls(NOW);
    node.keyDirectory = dir;
    assertTrue(node.verify(id, Long.parseLong(m.group(2)), m.group(3)));
    assertEquals(gateway.signedUrl(id), node.signedUrl(id));

    // Another directory means another key.
    FileUrls stranger = urls(NOW);
    stranger.keyDirectory = keys.resolve("other");
    assertFalse(stranger.verify(id, Long.parseLong(m.group(2)), m.group(3)));
  }

  @Test
  void key_createdConcurrentlyIsTheSameForEveryone() throws Exception {
    Path dir = keys.resolve("race");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<byte[]>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(() -> FileUrls.loadOrCreate(dir));
      }
      List<Future<byte[]>> keysSeen = pool.invokeAll(racers, 30, TimeUnit.SECONDS);
      byte[] first = keysSeen.get(0).get();
      for (Future<byte[]> k : keysSeen) {
        assertArrayEquals(first, k.get());
      }
      try (var left = Files.list(dir)) {
        assertEquals(List.of(dir.resolve(FileUrls.KEY_FILE)), left.toList(), "no temporary files");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void configuredDirectory_prefersItsOwnPropertyOverTheGatewaysKeyDirectory() {
    String own = System.getProperty("parley.files.url-key-dir");
    String gateway = System.getProperty("parley.gateway.token.key-dir");
    try {
      System.setProperty("parley.gateway.token.key-dir", "/srv/gateway-keys");
      System.clearProperty("parley.files.url-key-dir");
      if (System.getenv("PARLEY_FILES_URL_KEY_DIR") == null) {
        assertEquals(Path.of("/srv/gateway-keys"), FileUrls.configuredDirectory());
      }
      System.setProperty("parley.files.url-key-dir", "/srv/file-keys");
      assertEquals(Path.of("/srv/file-keys"), FileUrls.configuredDirectory());
    } finally {
      restore("parley.files.url-key-dir", own);
      restore("parley.gateway.token.key-dir", gateway);
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
