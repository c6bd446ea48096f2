package dev.parley.imnode.endpoint;

import dev.parley.common.auth.VerifiedToken;
import java.security.Principal;

/** The holder of the token checked at the handshake, carried into the WebSocket session. */
record HandshakePrincipal(VerifiedToken token) implements Principal {

  @Override
  public String getName() {
    return token.username();
  }
}
