package dev.parley.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Signs MicroProfile JWTs for signed-in users with the gateway's key. */
@ApplicationScoped
public class TokenIssuer {

  /**
   * The signer of the current key, made once: building one converts the JWK's base64 numbers into a
   * private key, which cost about a third as much as the signature itself (gateway profile of a
   * sign-in burst, session 6). Nimbus signers are thread-safe.
   */
  private record Signing(RSAKey key, RSASSASigner signer) {}

  private volatile Signing signing;

  private Signing signing() {
    RSAKey key = SigningKeys.current();
    Signing s = signing;
    if (s == null || s.key() != key) {
      try {
        s = new Signing(key, new RSASSASigner(key));
      } catch (JOSEException e) {
        throw new IllegalStateException("the signing key cannot sign", e);
      }
      signing = s;
    }
    return s;
  }

  /** A signed token and how long it holds. */
  public record IssuedToken(String token, long expiresInSeconds) {}

  @Inject
  @ConfigProperty(name = "parley.gateway.token.issuer", defaultValue = "parley-gateway")
  String issuer;

  @Inject
  @ConfigProperty(name = "parley.gateway.token.lifetime", defaultValue = "PT1H")
  Duration lifetime;

  /** A token for a user who has just signed in. */
  public IssuedToken issue(User user) {
    return issue(user, Instant.now());
  }

  /**
   * A token for a user who signed in at {@code authTime}: a renewal carries the time of the sign-in
   * it continues (the claim {@code auth_time}, epoch seconds), which bounds how long renewals go
   * on.
   */
  public IssuedToken issue(User user, Instant authTime) {
    Signing signing = signing();
    RSAKey key = signing.key();
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(Long.toString(user.id()))
            .claim("upn", user.username())
            .claim("nickname", user.nickname())
            .claim("groups", List.of("user"))
            .claim("auth_time", authTime.getEpochSecond())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build(),
            claims);
    try {
      jwt.sign(signing.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
  }
}
