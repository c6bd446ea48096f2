package dev.parley.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void percentiles_areWithinTwoPercent() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 100_000; v++) {
      h.record(v);
    }
    assertEquals(100_000, h.count());
    assertTrue(Math.abs(h.percentile(50) - 50_000) < 1_000, "p50 " + h.percentile(50));
    assertTrue(Math.abs(h.percentile(99) - 99_000) < 2_000, "p99 " + h.percentile(99));
    assertEquals(0, new Histogram().percentile(99));
  }

  @Test
  void smallValues_areExact() {
    Histogram h = new Histogram();
    h.record(7);
    assertEquals(7, h.percentile(50));
    assertEquals(7, h.max());
  }

  @Test
  void index_andValue_roundTrip() {
    for (long v : new long[] {0, 127, 128, 129, 255, 256, 1_000, 123_456, 10_000_000_000L}) {
      long back = Histogram.value(Histogram.index(v));
      assertTrue(Math.abs(back - v) <= Math.max(1, v / 60), v + " -> " + back);
    }
  }
}
