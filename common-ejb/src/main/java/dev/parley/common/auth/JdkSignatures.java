package dev.parley.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;

/**
 * Checks RS256 and ES256 token signatures with the JDK's {@link Signature}, the signature decoded
 * with {@link Base64}. Nimbus' own verifiers decode it with their constant-time Base64 codec, which
 * a profile of a node under a handshake burst found at 12 % of the node's CPU (more than the RSA
 * arithmetic); a signature is public, so decoding it in constant time protects nothing. Key
 * selection, the header's algorithm and the claims are still Nimbus' ({@link TokenVerifier}). A
 * header with critical parameters is refused (none is understood), as Nimbus' verifiers do.
 */
final class JdkSignatures implements JWSVerifierFactory {

  private static final int P256_BITS = 256;
  private static final int ES256_SIGNATURE_BYTES = 64;

  private final JCAContext jca = new JCAContext();

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (JWSAlgorithm.RS256.equals(algorithm) && key instanceof RSAPublicKey rsa) {
      return new Verifier(algorithm, "SHA256withRSA", rsa, 0);
    }
    if (JWSAlgorithm.ES256.equals(algorithm)
        && key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == P256_BITS) {
      return new Verifier(algorithm, "SHA256withECDSAinP1363Format", ec, ES256_SIGNATURE_BYTES);
    }
    throw new JOSEException(
        "No verifier for " + algorithm + " with a " + key.getAlgorithm() + " key");
  }

  private final class Verifier implements JWSVerifier {
    private final JWSAlgorithm algorithm;
    private final String jdkAlgorithm;
    private final PublicKey key;
    private final int signatureBytes;

    Verifier(JWSAlgorithm algorithm, String jdkAlgorithm, PublicKey key, int signatureBytes) {
      this.algorithm = algorithm;
      this.jdkAlgorithm = jdkAlgorithm;
      this.key = key;
      this.signatureBytes = signatureBytes;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
        throws JOSEException {
      if (!algorithm.equals(header.getAlgorithm())
          || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
        return false;
      }
      byte[] bytes;
      try {
        bytes = Base64.getUrlDecoder().decode(signature.toString());
      } catch (IllegalArgumentException notBase64Url) {
        return false;
      }
      if (signatureBytes > 0 && bytes.length != signatureBytes) {
        return false;
      }
      try {
        Signature check = Signature.getInstance(jdkAlgorithm);
        check.initVerify(key);
        check.update(signingInput);
        return check.verify(bytes);
      } catch (java.security.SignatureException malformed) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Could not check the signature: " + e.getMessage(), e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(algorithm);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
