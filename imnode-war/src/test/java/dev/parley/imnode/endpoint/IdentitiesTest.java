package dev.parley.imnode.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.common.auth.TrustedIssuer;
import dev.parley.common.auth.VerifiedToken;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.UserView;
import dev.parley.common.user.User;
import dev.parley.common.user.UserStore;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

  private static final TrustedIssuer GATEWAY =
      new TrustedIssuer("parley-gateway", URI.create("file:///keys.json"), true);

  private final AtomicInteger lookups = new AtomicInteger();

  private Identities identities() {
    Identities identities = new Identities();
    identities.users =
        new UserStore() {
          @Override
          public Optional<User> find(long id) {
            lookups.incrementAndGet();
            return Optional.empty();
          }
        };
    return identities;
  }

  @Test
  void aGatewayTokenWithProfileClaims_namesTheUserWithoutAQuery() {
    VerifiedToken token =
        new VerifiedToken(GATEWAY, "42", "ann", Instant.now().plusSeconds(60), "Ann A.");
    assertEquals(new UserView(42, "ann", "Ann A."), identities().userOf(token));
    assertEquals(0, lookups.get());
  }

  @Test
  void aGatewayTokenWithoutThem_isLookedUp() {
    VerifiedToken token = new VerifiedToken(GATEWAY, "42", "ann", Instant.now().plusSeconds(60));
    ParleyException e = assertThrows(ParleyException.class, () -> identities().userOf(token));
    assertEquals(ErrorCode.USER_NOT_FOUND, e.code());
    assertEquals(1, lookups.get());
  }
}
