package dev.parley.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

  static RSAKey gatewayKey;
  static RSAKey ssoKey;
  static RSAKey strangerKey;
  static TokenVerifier verifier;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    gatewayKey = new RSAKeyGenerator(2048).keyID("g").generate();
    ssoKey = new RSAKeyGenerator(2048).keyID("s").generate();
    strangerKey = new RSAKeyGenerator(2048).keyID("g").generate();
    Path gw =
        Files.writeString(dir.resolve("gw.json"), new JWKSet(gatewayKey.toPublicJWK()).toString());
    Path sso =
        Files.writeString(dir.resolve("sso.json"), new JWKSet(ssoKey.toPublicJWK()).toString());
    verifier =
        new TokenVerifier(
            List.of(
                new TrustedIssuer("parley-gateway", gw.toUri(), true),
                new TrustedIssuer("https://sso.test", sso.toUri(), false)));
  }

  static String token(RSAKey key, String issuer, String subject, Instant expires) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .claim("upn", "someone")
                .issueTime(new Date())
                .expirationTime(Date.from(expires))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void verify_acceptsTheGatewaysToken() throws Exception {
    VerifiedToken t =
        verifier.verify(token(gatewayKey, "parley-gateway", "42", Instant.now().plusSeconds(60)));
    assertEquals("42", t.subject());
    assertEquals("someone", t.username());
    assertEquals(true, t.issuer().local());
  }

  @Test
  void verify_readsTheNicknameOfATokenThatNamesItsUser() throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("parley-gateway")
            .subject("42")
            .claim("nickname", "Some One")
            .expirationTime(Date.from(Instant.now().plusSeconds(60)));
    VerifiedToken named = verifier.verify(signed(gatewayKey, claims.claim("upn", "someone")));
    assertEquals("Some One", named.profileNickname().orElseThrow());
    assertEquals("someone", named.username());
    VerifiedToken unnamed = verifier.verify(signed(gatewayKey, claims.claim("upn", null)));
    assertEquals(true, unnamed.profileNickname().isEmpty(), "a nickname without upn is not used");
  }

  private static String signed(RSAKey key, JWTClaimsSet.Builder claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void verify_acceptsASecondIndependentIssuer() throws Exception {
    VerifiedToken t =
        verifier.verify(token(ssoKey, "https://sso.test", "u-7", Instant.now().plusSeconds(60)));
    assertEquals("u-7", t.subject());
    assertEquals(false, t.issuer().local());
  }

  @Test
  void verify_refusesAForgedSignature() throws Exception {
    String forged = token(strangerKey, "parley-gateway", "42", Instant.now().plusSeconds(60));
    assertEquals(
        ErrorCode.UNAUTHORIZED,
        assertThrows(ParleyException.class, () -> verifier.verify(forged)).code());
  }

  @Test
  void verify_refusesAKeyOfAnotherIssuer() throws Exception {
    String crossed = token(ssoKey, "parley-gateway", "42", Instant.now().plusSeconds(60));
    assertEquals(
        ErrorCode.UNAUTHORIZED,
        assertThrows(ParleyException.class, () -> verifier.verify(crossed)).code());
  }

  @Test
  void verify_reportsExpiry() throws Exception {
    String expired = token(gatewayKey, "parley-gateway", "42", Instant.now().minusSeconds(600));
    assertEquals(
        ErrorCode.TOKEN_EXPIRED,
        assertThrows(ParleyException.class, () -> verifier.verify(expired)).code());
  }

  @Test
  void verify_refusesAnUntrustedIssuer() throws Exception {
    String other = token(gatewayKey, "someone-else", "42", Instant.now().plusSeconds(60));
    assertEquals(
        ErrorCode.UNAUTHORIZED,
        assertThrows(ParleyException.class, () -> verifier.verify(other)).code());
  }

  @Test
  void verify_refusesGarbage() {
    assertEquals(
        ErrorCode.UNAUTHORIZED,
        assertThrows(ParleyException.class, () -> verifier.verify("a.b.c")).code());
    assertEquals(
        ErrorCode.UNAUTHORIZED,
        assertThrows(ParleyException.class, () -> verifier.verify(null)).code());
  }
}
