package dev.parley.imnode.endpoint;

import dev.parley.common.auth.VerifiedToken;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.connection.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * {@code auth.renew}: a connection whose user presents a renewed token (from the gateway's {@code
 * /api/auth/refresh}, or a new one of the external identity provider) lives on until that token
 * expires, instead of being closed with 4001 at the first token's expiry. The token is checked as
 * at the handshake and must name the connection's user; a refused renewal leaves the connection
 * open with the expiry it had.
 */
@ApplicationScoped
public class TokenRenewal {

  @Inject NodeTokens tokens;
  @Inject Identities identities;

  /**
   * @return the ack's result, {@code {expiresAt}}
   * @throws ParleyException {@code UNAUTHORIZED} for a token that does not verify or names another
   *     user, {@code TOKEN_EXPIRED} for an expired one
   */
  public JsonObject renew(Connection connection, String token) {
    VerifiedToken verified = tokens.verify(token);
    long userId;
    try {
      userId = identities.userOf(verified).id();
    } catch (ParleyException e) {
      throw new ParleyException(ErrorCode.UNAUTHORIZED, "The token's account is gone");
    }
    if (userId != connection.user().id()) {
      throw new ParleyException(
          ErrorCode.UNAUTHORIZED, "The token is for another user than this connection's");
    }
    Instant expiresAt = connection.extendTokenExpiry(verified.expiresAt());
    return ServerFrames.object().add("expiresAt", expiresAt.toString()).build();
  }
}
