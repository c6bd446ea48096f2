package dev.parley.gateway.login;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher();

  {
    hasher.iterations = 1000; // the format, not the cost, is under test
  }

  @Test
  void matches_acceptsTheRightPasswordOnly() {
    String stored = hasher.hash("correct horse");
    assertTrue(hasher.matches("correct horse", stored));
    assertFalse(hasher.matches("correct horsf", stored));
  }

  @Test
  void hash_isSaltedAndRecordsItsCost() {
    String a = hasher.hash("same");
    String b = hasher.hash("same");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("pbkdf2-sha256$1000$"));
  }

  @Test
  void matches_keepsWorkingWhenTheConfiguredCostChanges() {
    String stored = hasher.hash("pw-pw-pw");
    hasher.iterations = 2000;
    assertTrue(hasher.matches("pw-pw-pw", stored));
  }

  @Test
  void matches_refusesAForeignFormat() {
    assertFalse(hasher.matches("x", "md5$abc"));
  }
}
