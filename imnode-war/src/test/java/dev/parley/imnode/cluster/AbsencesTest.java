package dev.parley.imnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AbsencesTest {

  private static final Set<String> KNOWN = Set.of("node-1", "node-2", "node-3");

  @Test
  void look_aNodeMissingOnce_isNotGone() {
    Absences a = new Absences(3);
    assertEquals(Set.of(), a.look(KNOWN, Set.of("node-1", "node-3")));
    assertEquals(Set.of(), a.look(KNOWN, KNOWN));
    assertEquals(Set.of(), a.look(KNOWN, Set.of("node-1", "node-3")));
    assertEquals(Set.of(), a.look(KNOWN, Set.of("node-1", "node-3")));
  }

  @Test
  void look_aNodeMissingAtEveryLookInARow_isGoneOnce() {
    Absences a = new Absences(3);
    Set<String> without2 = Set.of("node-1", "node-3");
    assertEquals(Set.of(), a.look(KNOWN, without2));
    assertEquals(Set.of(), a.look(KNOWN, without2));
    assertEquals(Set.of("node-2"), a.look(KNOWN, without2));
    // The caller forgets it; a later look does not report it again.
    assertEquals(Set.of(), a.look(Set.of("node-1", "node-3"), without2));
  }

  @Test
  void look_withOneLook_isImmediate() {
    assertEquals(Set.of("node-3"), new Absences(1).look(KNOWN, Set.of("node-1", "node-2")));
  }

  @Test
  void absences_needAtLeastOneLook() {
    assertThrows(IllegalArgumentException.class, () -> new Absences(0));
  }

  @Test
  void mayHaveBeenDeclaredGone_onlyAfterAPauseOfTheTimeToLive() {
    long ttl = 20_000_000_000L;
    assertFalse(Absences.mayHaveBeenDeclaredGone(5_000_000_000L, ttl));
    assertTrue(Absences.mayHaveBeenDeclaredGone(ttl, ttl));
    assertTrue(Absences.mayHaveBeenDeclaredGone(45_000_000_000L, ttl));
  }
}
