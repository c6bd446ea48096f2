package dev.parley.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, recorded lock-free from many threads into log-linear buckets (64 per
 * power of two above 128 µs, so a percentile is within about 1.6%).
 */
public final class Histogram {

  private static final int LINEAR = 128;
  private static final int SUB = 64;
  private static final int BUCKETS = LINEAR + 40 * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  public void record(long micros) {
    counts.incrementAndGet(index(Math.max(0, micros)));
  }

  /** A new histogram holding the counts of both. */
  public static Histogram merge(Histogram a, Histogram b) {
    Histogram h = new Histogram();
    for (int i = 0; i < BUCKETS; i++) {
      h.counts.set(i, a.counts.get(i) + b.counts.get(i));
    }
    return h;
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The value at percentile {@code p} (0–100), in microseconds; 0 when empty. */
  public long percentile(double p) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(total * p / 100.0);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= Math.max(1, rank)) {
        return value(i);
      }
    }
    return value(BUCKETS - 1);
  }

  public long max() {
    for (int i = BUCKETS - 1; i >= 0; i--) {
      if (counts.get(i) > 0) {
        return value(i);
      }
    }
    return 0;
  }

  /** count, p50, p90, p99, p99.9 and max in milliseconds. */
  public Map<String, Object> summaryMillis() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count());
    m.put("p50Ms", millis(percentile(50)));
    m.put("p90Ms", millis(percentile(90)));
    m.put("p99Ms", millis(percentile(99)));
    m.put("p999Ms", millis(percentile(99.9)));
    m.put("maxMs", millis(max()));
    return m;
  }

  static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int msb = 63 - Long.numberOfLeadingZeros(v);
    int shift = msb - 6;
    int i = LINEAR + (shift - 1) * SUB + (int) ((v >> shift) - SUB);
    return Math.min(i, BUCKETS - 1);
  }

  static long value(int i) {
    if (i < LINEAR) {
      return i;
    }
    int shift = (i - LINEAR) / SUB + 1;
    long sub = (i - LINEAR) % SUB + SUB;
    return (sub << shift) + (1L << shift) / 2;
  }
}
