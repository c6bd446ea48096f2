package dev.parley.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies RS256 tokens against the key sets of the trusted issuers. Remote key sets are fetched on
 * first use, cached, and fetched again when a token names a key they do not have (rotation).
 * Thread-safe.
 */
public final class TokenVerifier {

  private final Map<String, Entry> byIssuer = new LinkedHashMap<>();

  private record Entry(TrustedIssuer issuer, DefaultJWTProcessor<SecurityContext> processor) {}

  public TokenVerifier(List<TrustedIssuer> issuers) {
    for (TrustedIssuer issuer : issuers) {
      byIssuer.put(issuer.issuer(), new Entry(issuer, processor(issuer)));
    }
  }

  /**
   * The holder of a valid token.
   *
   * @throws ParleyException {@code UNAUTHORIZED} for a malformed, forged or untrusted token, {@code
   *     TOKEN_EXPIRED} for an expired one
   */
  public VerifiedToken verify(String token) {
    if (token == null || token.isBlank()) {
      throw new ParleyException(ErrorCode.UNAUTHORIZED);
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      Entry entry = byIssuer.get(jwt.getJWTClaimsSet().getIssuer());
      if (entry == null) {
        throw new ParleyException(ErrorCode.UNAUTHORIZED, "The token's issuer is not trusted");
      }
      JWTClaimsSet claims = entry.processor().process(jwt, null);
      String username = claims.getStringClaim("upn");
      // The gateway's tokens carry the user's name and nickname, which never change: with both,
      // a node needs no query to know who connected.
      String nickname = username != null ? claims.getStringClaim("nickname") : null;
      if (username == null) {
        username = claims.getStringClaim("preferred_username");
      }
      if (username == null) {
        username = claims.getSubject();
      }
      if (entry.issuer().local() && !isPositiveLong(claims.getSubject())) {
        throw new ParleyException(ErrorCode.UNAUTHORIZED, "The token's subject is not a user id");
      }
      return new VerifiedToken(
          entry.issuer(),
          claims.getSubject(),
          username,
          claims.getExpirationTime().toInstant(),
          nickname);
    } catch (BadJWTException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Expired")) {
        throw new ParleyException(ErrorCode.TOKEN_EXPIRED);
      }
      throw new ParleyException(ErrorCode.UNAUTHORIZED, "The token is not valid");
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new ParleyException(ErrorCode.UNAUTHORIZED, "The token is not valid");
    }
  }

  private static boolean isPositiveLong(String s) {
    try {
      return s != null && Long.parseLong(s) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static DefaultJWTProcessor<SecurityContext> processor(TrustedIssuer issuer) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSVerifierFactory(new JdkSignatures());
    processor.setJWSKeySelector(
        new CachingKeySelector(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keySource(issuer)));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(), Set.of("sub", "exp")));
    return processor;
  }

  private static JWKSource<SecurityContext> keySource(TrustedIssuer issuer) {
    if ("file".equals(issuer.jwks().getScheme())) {
      return new FileKeySource(new File(issuer.jwks()));
    }
    try {
      return JWKSourceBuilder.create(issuer.jwks().toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a key set URL: " + issuer.jwks(), e);
    }
  }

  /** A key set in a file, read on first use (files serve tests and offline set-ups). */
  private static final class FileKeySource implements JWKSource<SecurityContext> {
    private final File file;
    private volatile ImmutableJWKSet<SecurityContext> keys;

    FileKeySource(File file) {
      this.file = file;
    }

    @Override
    public List<com.nimbusds.jose.jwk.JWK> get(
        com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context) {
      try {
        if (keys == null) {
          keys = new ImmutableJWKSet<>(JWKSet.load(file));
        }
        return keys.get(selector, context);
      } catch (IOException | ParseException e) {
        return List.of();
      }
    }
  }

  /** The expiry of a verified token, for sessions that must end with it. */
  public static boolean isExpired(VerifiedToken token, Instant now) {
    return !now.isBefore(token.expiresAt());
  }
}
