package dev.parley.gateway.token;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives MicroProfile JWT the gateway's own public key ({@code mp.jwt.verify.publickey}), so that
 * the key generated at first start is the one the gateway's resources verify tokens with.
 */
public class SigningKeyConfigSource implements ConfigSource {

  static final String PUBLIC_KEY = "mp.jwt.verify.publickey";

  @Override
  public Set<String> getPropertyNames() {
    return Set.of(PUBLIC_KEY);
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of(PUBLIC_KEY, SigningKeys.publicKeyPemBody());
  }

  @Override
  public String getValue(String propertyName) {
    return PUBLIC_KEY.equals(propertyName) ? SigningKeys.publicKeyPemBody() : null;
  }

  @Override
  public String getName() {
    return "parley-gateway-signing-key";
  }

  @Override
  public int getOrdinal() {
    return 150;
  }
}
