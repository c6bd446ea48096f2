package dev.parley.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachingKeySelectorTest {

  private static final JWSHeader RS256_G =
      new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("g").build();

  @Test
  void selectJWSKeys_convertsAKeyOnceAndFollowsARotatedKeySet() throws Exception {
    RSAKey first = new RSAKeyGenerator(2048).keyID("g").generate();
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("g").generate();
    AtomicReference<JWKSet> current = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
    JWKSource<SecurityContext> source = (selector, context) -> selector.select(current.get());
    CachingKeySelector keys = new CachingKeySelector(Set.of(JWSAlgorithm.RS256), source);

    List<Key> once = keys.selectJWSKeys(RS256_G, null);
    List<Key> twice = keys.selectJWSKeys(RS256_G, null);
    assertEquals(1, once.size());
    assertSame(once.get(0), twice.get(0), "the converted key is reused");
    assertEquals(first.toRSAPublicKey(), once.get(0));

    current.set(new JWKSet(rotated.toPublicJWK()));
    List<Key> after = keys.selectJWSKeys(RS256_G, null);
    assertEquals(List.of(rotated.toRSAPublicKey()), after, "the rotated key, not the cached one");
  }

  @Test
  void selectJWSKeys_offersNothingForAnotherAlgorithmOrKeyId() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("g").generate();
    JWKSet set = new JWKSet(List.<JWK>of(key.toPublicJWK()));
    CachingKeySelector keys =
        new CachingKeySelector(Set.of(JWSAlgorithm.RS256), (selector, c) -> selector.select(set));
    assertTrue(
        keys.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), null).isEmpty());
    assertTrue(
        keys.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("x").build(), null)
            .isEmpty());
  }
}
