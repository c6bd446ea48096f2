package dev.parley.imnode.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Holds a connection's next write back, while the node is busy, until {@code delay} after its
 * previous write, so that the frames that arrive meanwhile leave in that one write: Nagle's idea,
 * applied only under load. A socket write costs about the same for one small frame as for a few (on
 * loopback the sender's system call also runs the receiver's TCP), so a member of a room receiving
 * 50 pushes a second costs half the writes with a 50 ms delay.
 *
 * <p>Busy means the node wrote more than {@code above} frames per second over the last sample
 * (about 100 ms); it stops being busy below half that. Frames to a connection that has not written
 * within the delay are never held, so a quiet conversation's frames go out at once even on a busy
 * node, and a held frame waits at most the delay plus one tick.
 *
 * <p>Held flushes wait in a timing wheel of {@code delay / 10} ticks that one {@link #tick} per
 * tick drains; a hold costs one queue insert. Thread-safe: {@link #hold} from any thread, {@link
 * #tick} from one.
 */
final class WriteDelay {

  private static final long SAMPLE_NANOS = 100_000_000L;

  private final long delayNanos;
  private final long tickNanos;
  private final double above;
  private final long origin;
  private final List<ConcurrentLinkedQueue<Runnable>> slots;
  private final LongAdder held = new LongAdder();

  private volatile long drained;
  private volatile boolean busy;
  private long sampledAt;
  private long sampledFrames;

  /**
   * @param delay how long after a connection's previous write its next one may be held; zero turns
   *     holding off
   * @param above frames per second on the node above which writes are held
   * @param now the clock's reading now, in nanoseconds
   */
  WriteDelay(Duration delay, double above, long now) {
    this.delayNanos = Math.max(0, delay.toNanos());
    this.tickNanos = Math.max(1_000_000L, delayNanos / 10);
    this.above = above;
    this.origin = now;
    int n = (int) (delayNanos / tickNanos) + 3;
    List<ConcurrentLinkedQueue<Runnable>> s = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      s.add(new ConcurrentLinkedQueue<>());
    }
    this.slots = List.copyOf(s);
    this.drained = tickOf(now);
    this.sampledAt = now;
  }

  /** Whether writes are ever held (a non-zero delay). */
  boolean enabled() {
    return delayNanos > 0;
  }

  /** The wheel's tick: how often {@link #tick} should run. */
  Duration tick() {
    return Duration.ofNanos(tickNanos);
  }

  /** Whether the node is busy now (writes are being held). */
  boolean busy() {
    return busy;
  }

  /** Flushes held so far. */
  long heldSoFar() {
    return held.sum();
  }

  /**
   * Holds {@code flush} until {@code delay} after {@code lastWriteNanos} when the node is busy and
   * that is more than a tick away.
   *
   * @return true when held (the wheel runs it later), false when it should run now
   */
  boolean hold(Runnable flush, long lastWriteNanos, long now) {
    if (!busy) {
      return false;
    }
    long due = lastWriteNanos + delayNanos;
    if (due - now < tickNanos) {
      return false;
    }
    long t = Math.max(ceilTickOf(due), drained + 1);
    slots.get((int) Math.floorMod(t, (long) slots.size())).add(flush);
    held.increment();
    return true;
  }

  /**
   * Hands every flush now due to {@code writers} (in batches), and every sample re-decides whether
   * the node is busy from {@code framesSoFar}, its frames written so far.
   */
  void tick(long now, long framesSoFar, Consumer<List<Runnable>> writers) {
    long elapsed = now - sampledAt;
    if (elapsed >= SAMPLE_NANOS) {
      double rate = (framesSoFar - sampledFrames) * 1e9 / elapsed;
      busy = busy ? rate >= above / 2 : rate > above;
      sampledAt = now;
      sampledFrames = framesSoFar;
    }
    long current = tickOf(now);
    long from = drained + 1;
    if (current - from >= slots.size()) {
      // Late by a whole turn of the wheel (a pause): everything held is due.
      from = current - slots.size() + 1;
    }
    for (long t = from; t <= current; t++) {
      drain(slots.get((int) Math.floorMod(t, (long) slots.size())), writers);
    }
    drained = current;
  }

  /** Hands every held flush to {@code writers} now (the node is stopping). */
  void releaseAll(Consumer<List<Runnable>> writers) {
    for (ConcurrentLinkedQueue<Runnable> slot : slots) {
      drain(slot, writers);
    }
  }

  private static void drain(
      ConcurrentLinkedQueue<Runnable> slot, Consumer<List<Runnable>> writers) {
    List<Runnable> batch = null;
    Runnable r;
    while ((r = slot.poll()) != null) {
      if (batch == null) {
        batch = new ArrayList<>(64);
      }
      batch.add(r);
      if (batch.size() == 64) {
        writers.accept(batch);
        batch = null;
      }
    }
    if (batch != null) {
      writers.accept(batch);
    }
  }

  private long tickOf(long nanos) {
    return Math.floorDiv(nanos - origin, tickNanos);
  }

  private long ceilTickOf(long nanos) {
    return -Math.floorDiv(origin - nanos, tickNanos);
  }
}
