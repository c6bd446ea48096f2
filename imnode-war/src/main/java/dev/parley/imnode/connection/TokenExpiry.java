package dev.parley.imnode.connection;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Ends sessions whose token has expired (the container does not), with close code 4001, within ten
 * seconds of the expiry. One sweep over all connections beats a timer per connection.
 */
@Singleton
public class TokenExpiry {

  /** Close code for an expired or invalid token. */
  public static final int CLOSE_TOKEN_EXPIRED = 4001;

  @Inject Connections connections;

  @Schedule(second = "*/10", minute = "*", hour = "*", persistent = false)
  void sweep() {
    Instant now = Instant.now();
    for (Connection c : connections.all()) {
      if (!now.isBefore(c.tokenExpiresAt())) {
        c.close(CLOSE_TOKEN_EXPIRED, "Token expired; sign in again");
      }
    }
  }
}
