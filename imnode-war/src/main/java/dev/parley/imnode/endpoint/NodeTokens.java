package dev.parley.imnode.endpoint;

import dev.parley.common.auth.TokenVerifier;
import dev.parley.common.auth.TrustedIssuer;
import dev.parley.common.auth.VerifiedToken;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The issuers this node trusts: the Parley gateway, and optionally one external identity provider
 * (single sign-on), each with the URL of its key set.
 */
@ApplicationScoped
public class NodeTokens {

  @Inject
  @ConfigProperty(name = "parley.imnode.token.issuer", defaultValue = "parley-gateway")
  String issuer;

  @Inject
  @ConfigProperty(name = "parley.imnode.token.jwks")
  URI jwks;

  @Inject
  @ConfigProperty(name = "parley.imnode.token.external.issuer")
  Optional<String> externalIssuer;

  @Inject
  @ConfigProperty(name = "parley.imnode.token.external.jwks")
  Optional<URI> externalJwks;

  private TokenVerifier verifier;

  @PostConstruct
  void init() {
    List<TrustedIssuer> trusted = new ArrayList<>();
    trusted.add(new TrustedIssuer(issuer, jwks, true));
    if (externalIssuer.isPresent() && externalJwks.isPresent()) {
      trusted.add(new TrustedIssuer(externalIssuer.get(), externalJwks.get(), false));
    }
    verifier = new TokenVerifier(trusted);
  }

  public VerifiedToken verify(String token) {
    return verifier.verify(token);
  }
}
