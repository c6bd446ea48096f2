package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The write delay's load switch and timing wheel, on a hand-driven clock. */
class WriteDelayTest {

  private static final long MS = 1_000_000L;

  private final List<String> ran = new ArrayList<>();
  private final WriteDelay delay = new WriteDelay(Duration.ofMillis(50), 10_000, 0);
  private long frames;

  private void tick(long nowMs) {
    delay.tick(nowMs * MS, frames, batch -> batch.forEach(Runnable::run));
  }

  /** Makes the node busy: 2,000 frames in the 100 ms before {@code nowMs} (20,000/s). */
  private void busyAt(long nowMs) {
    frames += 2_000;
    tick(nowMs);
  }

  @Test
  void aQuietNodeHoldsNothing() {
    frames += 500; // 5,000 frames/s: below 10,000
    tick(100);
    assertFalse(delay.busy());
    assertFalse(delay.hold(() -> ran.add("x"), 95 * MS, 100 * MS));
  }

  @Test
  void aBusyNodeHoldsAFlushUntilTheDelayAfterThePreviousWrite() {
    busyAt(100);
    assertTrue(delay.busy());
    assertTrue(delay.hold(() -> ran.add("a"), 90 * MS, 100 * MS));
    tick(135);
    assertEquals(List.of(), ran, "due at 140 ms, not before");
    tick(140);
    assertEquals(List.of("a"), ran);
    assertEquals(1, delay.heldSoFar());
  }

  @Test
  void aConnectionThatHasNotWrittenWithinTheDelayIsNotHeld() {
    busyAt(100);
    assertFalse(delay.hold(() -> ran.add("a"), 40 * MS, 100 * MS));
    assertFalse(delay.hold(() -> ran.add("b"), 52 * MS, 100 * MS), "due within a tick");
  }

  @Test
  void theNodeStopsBeingBusyBelowHalfTheThreshold() {
    busyAt(100);
    frames += 600; // 6,000/s: above half of 10,000, stays busy
    tick(200);
    assertTrue(delay.busy());
    frames += 400; // 4,000/s
    tick(300);
    assertFalse(delay.busy());
  }

  @Test
  void aLateTickRunsEverythingDue() {
    busyAt(100);
    for (int i = 0; i < 100; i++) {
      String name = "c" + i;
      assertTrue(delay.hold(() -> ran.add(name), (60 + i % 40) * MS, 100 * MS));
    }
    tick(10_000); // a pause of ten seconds: many turns of the wheel
    assertEquals(100, ran.size());
  }

  @Test
  void releaseAllRunsWhatIsHeld() {
    busyAt(100);
    assertTrue(delay.hold(() -> ran.add("a"), 99 * MS, 100 * MS));
    delay.releaseAll(batch -> batch.forEach(Runnable::run));
    assertEquals(List.of("a"), ran);
  }

  @Test
  void aZeroDelayIsOff() {
    WriteDelay off = new WriteDelay(Duration.ZERO, 0, 0);
    assertFalse(off.enabled());
  }
}
