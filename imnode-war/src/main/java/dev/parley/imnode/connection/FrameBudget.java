package dev.parley.imnode.connection;

/**
 * A per-connection token bucket for client frames: {@code ratePerSecond} frames a second on
 * average, bursts of up to {@code burst}. A frame over budget is refused ({@link Verdict#LIMITED});
 * a client that keeps going over, {@code maxViolations} refusals within ten seconds, is flooding
 * ({@link Verdict#FLOOD}) and gets disconnected. Thread-safe.
 */
public final class FrameBudget {

  /** What to do with one frame. */
  public enum Verdict {
    ADMITTED,
    LIMITED,
    FLOOD
  }

  private static final long VIOLATION_WINDOW_NANOS = 10_000_000_000L;

  private final double ratePerNano;
  private final double burst;
  private final int maxViolations;

  private double tokens;
  private long refilledAt;
  private int violations;
  private long windowStart;

  FrameBudget(double ratePerSecond, int burst, int maxViolations, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxViolations = maxViolations;
    this.tokens = burst;
    this.refilledAt = nowNanos;
    this.windowStart = nowNanos;
  }

  public synchronized Verdict admit(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
    refilledAt = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ADMITTED;
    }
    if (nowNanos - windowStart > VIOLATION_WINDOW_NANOS) {
      windowStart = nowNanos;
      violations = 0;
    }
    violations++;
    return violations > maxViolations ? Verdict.FLOOD : Verdict.LIMITED;
  }
}
