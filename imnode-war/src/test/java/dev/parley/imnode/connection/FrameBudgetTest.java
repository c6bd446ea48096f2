package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameBudgetTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void admit_allowsABurstThenLimits() {
    FrameBudget budget = new FrameBudget(10, 5, 100, 0);
    for (int i = 0; i < 5; i++) {
      assertEquals(FrameBudget.Verdict.ADMITTED, budget.admit(0));
    }
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(0));
  }

  @Test
  void admit_refillsAtTheRate() {
    FrameBudget budget = new FrameBudget(10, 5, 100, 0);
    for (int i = 0; i < 5; i++) {
      budget.admit(0);
    }
    // A tenth of a second buys one frame at 10 a second.
    assertEquals(FrameBudget.Verdict.ADMITTED, budget.admit(SECOND / 10));
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(SECOND / 10));
  }

  @Test
  void admit_callsRepeatedViolationsAFlood() {
    FrameBudget budget = new FrameBudget(1, 1, 3, 0);
    budget.admit(0);
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(0));
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(0));
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(0));
    assertEquals(FrameBudget.Verdict.FLOOD, budget.admit(0));
  }

  @Test
  void admit_forgetsViolationsAfterTheWindow() {
    FrameBudget budget = new FrameBudget(1, 1, 2, 0);
    budget.admit(0);
    budget.admit(0);
    budget.admit(0);
    // Eleven seconds later the bucket is full again and old violations no longer count.
    long later = 11 * SECOND;
    assertEquals(FrameBudget.Verdict.ADMITTED, budget.admit(later));
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(later));
    assertEquals(FrameBudget.Verdict.LIMITED, budget.admit(later));
    assertEquals(FrameBudget.Verdict.FLOOD, budget.admit(later));
  }
}
