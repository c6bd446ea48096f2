package dev.parley.common.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signatures checked with the JDK accept what Nimbus signs and refuse what it should refuse. */
class JdkSignaturesTest {

  static RSAKey rsa;
  static RSAKey otherRsa;
  static ECKey ec;
  static ECKey ec384;
  final JdkSignatures signatures = new JdkSignatures();

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).generate();
    otherRsa = new RSAKeyGenerator(2048).generate();
    ec = new ECKeyGenerator(Curve.P_256).generate();
    ec384 = new ECKeyGenerator(Curve.P_384).generate();
  }

  private static JWSObject signed(JWSHeader header, com.nimbusds.jose.JWSSigner signer)
      throws Exception {
    JWSObject jws = new JWSObject(header, new Payload("{\"sub\":\"42\"}"));
    jws.sign(signer);
    return jws;
  }

  private boolean verify(JWSObject jws, java.security.Key key) throws JOSEException {
    return signatures
        .createJWSVerifier(jws.getHeader(), key)
        .verify(jws.getHeader(), jws.getSigningInput(), jws.getSignature());
  }

  @Test
  void rs256_acceptsAGoodSignature_refusesAnotherKeysAndATamperedOne() throws Exception {
    JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), new RSASSASigner(rsa));
    assertTrue(verify(jws, rsa.toRSAPublicKey()));
    assertFalse(verify(jws, otherRsa.toRSAPublicKey()));
    byte[] sig = jws.getSignature().decode();
    sig[10] ^= 1;
    assertFalse(
        signatures
            .createJWSVerifier(jws.getHeader(), rsa.toRSAPublicKey())
            .verify(jws.getHeader(), jws.getSigningInput(), Base64URL.encode(sig)));
  }

  @Test
  void es256_acceptsAGoodSignature_refusesAWrongLengthAndAnotherCurve() throws Exception {
    JWSObject jws = signed(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ec));
    assertTrue(verify(jws, ec.toECPublicKey()));
    byte[] sig = jws.getSignature().decode();
    assertFalse(
        signatures
            .createJWSVerifier(jws.getHeader(), ec.toECPublicKey())
            .verify(
                jws.getHeader(),
                jws.getSigningInput(),
                Base64URL.encode(java.util.Arrays.copyOf(sig, 63))));
    assertThrows(
        JOSEException.class,
        () -> signatures.createJWSVerifier(jws.getHeader(), ec384.toECPublicKey()));
  }

  @Test
  void refusesCriticalHeaderParams_garbage_andAKeyOfTheWrongType() throws Exception {
    JWSHeader critical =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .criticalParams(Set.of("exp"))
            .customParam("exp", 1)
            .build();
    JWSObject jws = signed(critical, new RSASSASigner(rsa));
    assertFalse(verify(jws, rsa.toRSAPublicKey()));
    JWSObject plain = signed(new JWSHeader(JWSAlgorithm.RS256), new RSASSASigner(rsa));
    assertFalse(
        signatures
            .createJWSVerifier(plain.getHeader(), rsa.toRSAPublicKey())
            .verify(plain.getHeader(), plain.getSigningInput(), new Base64URL("***")));
    assertThrows(
        JOSEException.class,
        () -> signatures.createJWSVerifier(plain.getHeader(), ec.toECPublicKey()));
  }
}
