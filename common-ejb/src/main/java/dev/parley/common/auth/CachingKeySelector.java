package dev.parley.common.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Selects the keys that may have signed a token, as nimbus' {@code JWSVerificationKeySelector}
 * does, but converts each JWK of the key set into a Java key once. The stock selector converts on
 * every token (base64 decoding of the modulus with nimbus' constant-time codec): 9.5 % of a node's
 * CPU while clients connected (JFR, session 6). Keys are cached by value (a rotated key set brings
 * new JWKs) and the cache is dropped whole if it ever holds more than {@value #MAX_KEYS} keys.
 * Thread-safe.
 */
final class CachingKeySelector implements JWSKeySelector<SecurityContext> {

  private static final int MAX_KEYS = 32;

  private final Set<JWSAlgorithm> algorithms;
  private final JWKSource<SecurityContext> source;
  private final Map<JWK, List<Key>> converted = new ConcurrentHashMap<>();

  CachingKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
    this.algorithms = Set.copyOf(algorithms);
    this.source = source;
  }

  @Override
  public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context)
      throws KeySourceException {
    if (!algorithms.contains(header.getAlgorithm())) {
      return List.of();
    }
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    if (matcher == null) {
      return List.of();
    }
    List<Key> keys = new ArrayList<>();
    for (JWK jwk : source.get(new JWKSelector(matcher), context)) {
      List<Key> forJwk = converted.get(jwk);
      if (forJwk == null) {
        if (converted.size() >= MAX_KEYS) {
          converted.clear();
        }
        forJwk = List.copyOf(KeyConverter.toJavaKeys(List.of(jwk)));
        converted.put(jwk, forJwk);
      }
      keys.addAll(forJwk);
    }
    return keys;
  }
}
