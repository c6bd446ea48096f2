package dev.parley.imnode.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.auth.VerifiedToken;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.imnode.connection.Admission;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakePolicyTest {

  private boolean full;
  private int verified;

  private HandshakePolicy policy() {
    HandshakePolicy p = new HandshakePolicy();
    p.allowedOrigins = "http://chat.test, http://localhost:8080";
    p.admission =
        new Admission() {
          @Override
          public boolean admit() {
            return !full;
          }
        };
    p.tokens =
        new NodeTokens() {
          @Override
          public VerifiedToken verify(String token) {
            verified++;
            if ("good".equals(token)) {
              return new VerifiedToken(null, "1", "ann", Instant.now().plusSeconds(60));
            }
            if ("late".equals(token)) {
              throw new ParleyException(ErrorCode.TOKEN_EXPIRED);
            }
            throw new ParleyException(ErrorCode.UNAUTHORIZED);
          }
        };
    p.init();
    return p;
  }

  @Test
  void examine_admitsTheHolderOfAGoodToken_fromQueryOrBearerHeader() {
    HandshakePolicy p = policy();
    var byQuery = assertInstanceOf(HandshakePolicy.Admitted.class, p.examine(null, "good", null));
    assertEquals("ann", byQuery.principal().getName());
    assertInstanceOf(
        HandshakePolicy.Admitted.class, p.examine("http://chat.test", null, "bearer good"));
  }

  @Test
  void examine_refusesAForeignOrigin403_beforeLookingAtTheToken() {
    var refused =
        assertInstanceOf(
            HandshakePolicy.Refused.class, policy().examine("http://evil.test", "good", null));
    assertEquals(403, refused.status());
    assertEquals(ErrorCode.ORIGIN_NOT_ALLOWED, refused.code());
    assertEquals(0, verified);
  }

  @Test
  void examine_refusesWhenFull503WithRetryAfter_beforeVerifyingTheToken() {
    full = true;
    var refused =
        assertInstanceOf(HandshakePolicy.Refused.class, policy().examine(null, "good", null));
    assertEquals(503, refused.status());
    assertEquals(Map.of("Retry-After", "2"), refused.headers());
    assertTrue(refused.body().contains("\"code\":\"NODE_FULL\""), refused.body());
    assertEquals(0, verified);
  }

  @Test
  void examine_refusesMissingOrExpiredTokens401WithBearerChallenge() {
    HandshakePolicy p = policy();
    for (String token : new String[] {null, "forged"}) {
      var refused = assertInstanceOf(HandshakePolicy.Refused.class, p.examine(null, token, null));
      assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
      assertEquals(Map.of("WWW-Authenticate", "Bearer"), refused.headers());
    }
    var late = assertInstanceOf(HandshakePolicy.Refused.class, p.examine(null, "late", null));
    assertEquals(ErrorCode.TOKEN_EXPIRED, late.code());
    assertEquals(401, late.status());
  }
}
