package dev.parley.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's signing key pair, kept as a JWK file in a key directory. The first gateway to start
 * generates it (readable by its owner only); every later start, and every gateway sharing the
 * directory, loads the same key.
 *
 * <p>The directory comes from the system property {@code parley.gateway.token.key-dir}, the
 * environment variable {@code PARLEY_GATEWAY_TOKEN_KEY_DIR}, or {@code ~/.parley/keys}. It is read
 * here rather than through MicroProfile Config because the key also feeds a config source.
 */
public final class SigningKeys {

  static final String FILE_NAME = "gateway-signing-key.jwk.json";

  private static final Map<Path, RSAKey> LOADED = new ConcurrentHashMap<>();

  private SigningKeys() {}

  /** The key of the configured directory, generated on first use. */
  public static RSAKey current() {
    return forDirectory(configuredDirectory());
  }

  static Path configuredDirectory() {
    String dir = System.getProperty("parley.gateway.token.key-dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("PARLEY_GATEWAY_TOKEN_KEY_DIR");
    }
    if (dir == null || dir.isBlank()) {
      return Paths.get(System.getProperty("user.home"), ".parley", "keys");
    }
    return Paths.get(dir);
  }

  static RSAKey forDirectory(Path dir) {
    return LOADED.computeIfAbsent(dir.toAbsolutePath(), SigningKeys::loadOrCreate);
  }

  /** The public half, as a key set for {@code /.well-known/jwks.json}. */
  public static String publicKeySetJson() {
    return new JWKSet(current().toPublicJWK()).toString();
  }

  /** The public key as one line of base64 (PEM body), as {@code mp.jwt.verify.publickey} takes. */
  public static String publicKeyPemBody() {
    try {
      return Base64.getEncoder().encodeToString(current().toRSAPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException("the signing key has no public half", e);
    }
  }

  private static RSAKey loadOrCreate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      }
      Files.createDirectories(dir);
      RSAKey key =
          new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint(true).generate();
      Path tmp = Files.createTempFile(dir, "key", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's own permissions must protect the key.
      }
      Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        // No REPLACE_EXISTING: if another gateway won the race, its key is the one to use.
        Files.move(tmp, file);
        return key;
      } catch (FileAlreadyExistsException lost) {
        Files.deleteIfExists(tmp);
        return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the signing key in " + dir, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the signing key in " + file + " is not usable", e);
    }
  }
}
