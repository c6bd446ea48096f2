package dev.parley.gateway.login;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final LoginThrottle throttle = new LoginThrottle();

  {
    throttle.maxFailuresPerName = 3;
    throttle.maxFailuresPerAddress = 10;
    throttle.window = Duration.ofMinutes(5);
    throttle.clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
  }

  @Test
  void isBlocked_afterTooManyFailuresForOneName() {
    for (int i = 0; i < 3; i++) {
      assertFalse(throttle.isBlocked("ann", "1.2.3.4"));
      throttle.recordFailure("ann", "1.2.3.4");
    }
    assertTrue(throttle.isBlocked("ann", "1.2.3.4"));
    assertFalse(throttle.isBlocked("bob", "5.6.7.8"));
  }

  @Test
  void isBlocked_endsWhenFailuresLeaveTheWindow() {
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("ann", "1.2.3.4");
    }
    now = now.plus(Duration.ofMinutes(6));
    assertFalse(throttle.isBlocked("ann", "1.2.3.4"));
  }

  @Test
  void isBlocked_perAddressAcrossNames() {
    for (int i = 0; i < 10; i++) {
      throttle.recordFailure("user" + i, "9.9.9.9");
    }
    assertTrue(throttle.isBlocked("fresh", "9.9.9.9"));
  }

  @Test
  void recordSuccess_clearsTheNamesFailures() {
    throttle.recordFailure("ann", "1.2.3.4");
    throttle.recordFailure("ann", "1.2.3.4");
    throttle.recordSuccess("ann");
    throttle.recordFailure("ann", "1.2.3.4");
    assertFalse(throttle.isBlocked("ann", "1.2.3.4"));
  }
}
