package dev.parley.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChatTest {

  @Test
  void warmupRampsFromATenthOfTheRate_thenSendsAtTheRate() {
    int rate = 1000;
    double warmup = 10;
    long warmupSends = (long) (rate * warmup * 0.55);
    assertEquals(0, Chat.sendTimeNanos(0, rate, warmup, warmupSends));
    // The first sends are a tenth of the rate apart (10 ms), the last ones of the ramp ~1 ms.
    assertEquals(10e6, Chat.sendTimeNanos(1, rate, warmup, warmupSends), 0.2e6);
    long nearEnd =
        Chat.sendTimeNanos(warmupSends - 1, rate, warmup, warmupSends)
            - Chat.sendTimeNanos(warmupSends - 2, rate, warmup, warmupSends);
    assertEquals(1e6, nearEnd, 0.05e6);
    long previous = -1;
    for (long i = 0; i < warmupSends + 100; i++) {
      long t = Chat.sendTimeNanos(i, rate, warmup, warmupSends);
      assertTrue(t > previous, "send times only grow");
      previous = t;
    }
    assertEquals(10e9, Chat.sendTimeNanos(warmupSends, rate, warmup, warmupSends), 1e6);
    assertEquals(11e9, Chat.sendTimeNanos(warmupSends + 1000, rate, warmup, warmupSends), 1e6);
  }

  @Test
  void withoutWarmup_sendsAtTheRateFromTheStart() {
    assertEquals(5e9, Chat.sendTimeNanos(5000, 1000, 0, 0), 1);
  }
}
