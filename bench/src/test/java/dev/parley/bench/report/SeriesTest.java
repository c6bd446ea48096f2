package dev.parley.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeriesTest {

  @Test
  void peakRise_isTheSteepestWindowNotTheAverage() {
    Series online = new Series("online");
    // 0 → 100 over the first 5 s (20/s), then 300 more within one second.
    for (int i = 0; i <= 10; i++) {
      online.add(i * 0.5, i * 10);
    }
    online.add(5.5, 250);
    online.add(6.0, 400);
    online.add(7.0, 400);
    assertEquals(300, online.peakRise(1.0), 1e-9);
  }

  @Test
  void peakRise_ofAFallingOrFlatLineIsZero() {
    Series online = new Series("online");
    online.add(0, 100);
    online.add(1, 50);
    online.add(2, 50);
    assertEquals(0, online.peakRise(1.0), 1e-9);
  }

  @Test
  void peakRise_spreadsARiseWithinLessThanTheWindowOverTheWholeWindow() {
    Series online = new Series("online");
    online.add(0, 0);
    online.add(0.2, 100);
    assertEquals(100, online.peakRise(1.0), 1e-9);
  }
}
