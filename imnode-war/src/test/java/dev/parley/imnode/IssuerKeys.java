package dev.parley.imnode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** A token issuer of the tests: an RSA key pair that signs MicroProfile JWTs. */
final class IssuerKeys {

  private final String issuer;
  private final RSAKey key;

  private IssuerKeys(String issuer, RSAKey key) {
    this.issuer = issuer;
    this.key = key;
  }

  static IssuerKeys generate(String issuer) {
    return new IssuerKeys(issuer, newKey(UUID.randomUUID().toString()));
  }

  /** Another key pair that claims to be this issuer, down to the key id: it forges tokens. */
  IssuerKeys impostor() {
    return new IssuerKeys(issuer, newKey(key.getKeyID()));
  }

  private static RSAKey newKey(String keyId) {
    try {
      return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String issuer() {
    return issuer;
  }

  /** Writes the public key set where the node under test reads it. */
  void publishTo(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The claims of a valid token for an hour: iss, sub, upn, groups, iat, exp and jti. */
  JWTClaimsSet.Builder claims(String subject, String username) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .claim("upn", username)
        .claim("groups", List.of("user"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .jwtID(UUID.randomUUID().toString());
  }

  String token(String subject, String username) {
    return sign(claims(subject, username).build());
  }

  String sign(JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
