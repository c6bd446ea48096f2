package dev.parley.imnode.connection;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's socket writers: a few threads that write what connections have queued. Delivery only
 * queues a frame on each receiving connection and schedules that connection here once; by the time
 * a writer gets to it, every frame queued meanwhile goes out in one write ({@link Wire}). Under
 * load a connection's frames are gathered into fewer, larger writes, and the thread that delivers a
 * push to a room never waits on a socket. On a busy node a connection's next write is also held
 * back until a short delay after its previous one ({@link WriteDelay}), so that the pushes of a
 * busy room leave several to a write.
 */
@ApplicationScoped
public class Outbound implements Executor {

  private static final System.Logger LOG = System.getLogger(Outbound.class.getName());

  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.writer-threads", defaultValue = "0")
  int writerThreads;

  /**
   * How long after a connection's previous write its next one may be held while the node is busy
   * (see {@link WriteDelay}); PT0S never holds.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.connection.write-delay", defaultValue = "PT0.05S")
  Duration writeDelay;

  /** Frames per second written by the node above which it counts as busy for the write delay. */
  @Inject
  @ConfigProperty(name = "parley.imnode.connection.write-delay-above", defaultValue = "50000")
  double writeDelayAbove;

  private volatile ThreadPoolExecutor pool;
  private volatile WriteDelay delay;
  private ScheduledThreadPoolExecutor ticker;
  private final LongAdder writes = new LongAdder();
  private final LongAdder frames = new LongAdder();

  /** Starts the writers with the application, on threads made in its context. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    int n = writerThreads > 0 ? writerThreads : Runtime.getRuntime().availableProcessors();
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    p.prestartAllCoreThreads();
    pool = p;
    WriteDelay d = new WriteDelay(writeDelay, writeDelayAbove, System.nanoTime());
    if (d.enabled()) {
      ticker = new ScheduledThreadPoolExecutor(1, threads);
      long tick = d.tick().toNanos();
      ticker.scheduleAtFixedRate(
          () -> {
            try {
              d.tick(System.nanoTime(), frames(), this::executeAll);
            } catch (RuntimeException e) {
              // A periodic task that throws is never run again: held writes would wait forever.
              LOG.log(System.Logger.Level.ERROR, "write delay tick failed", e);
            }
          },
          tick,
          tick,
          TimeUnit.NANOSECONDS);
      delay = d;
    }
  }

  /**
   * Runs {@code flush} on a writer now, or, while the node is busy, once {@code write-delay} has
   * passed since the connection's previous write at {@code lastWriteNanos}.
   */
  void schedule(Runnable flush, long lastWriteNanos) {
    WriteDelay d = delay;
    if (d == null || !d.hold(flush, lastWriteNanos, System.nanoTime())) {
      execute(flush);
    }
  }

  private void executeAll(List<Runnable> flushes) {
    execute(() -> flushes.forEach(Runnable::run));
  }

  /** Runs {@code flush} on a writer; before start and after stop, on the calling thread. */
  @Override
  public void execute(Runnable flush) {
    ThreadPoolExecutor p = pool;
    if (p != null) {
      try {
        p.execute(flush);
        return;
      } catch (RejectedExecutionException stopped) {
        // Shutting down: write on this thread.
      }
    }
    flush.run();
  }

  /** Counts one socket write of {@code n} frames. */
  void wrote(int n) {
    writes.increment();
    frames.add(n);
  }

  /** Socket writes so far (each carries one or more frames). */
  public long writes() {
    return writes.sum();
  }

  /** Frames written so far. */
  public long frames() {
    return frames.sum();
  }

  /** Flushes held back by the write delay so far. */
  public long delayedWrites() {
    WriteDelay d = delay;
    return d == null ? 0 : d.heldSoFar();
  }

  /** Whether the node is busy enough now that writes are held back (see {@link WriteDelay}). */
  public boolean delayingWrites() {
    WriteDelay d = delay;
    return d != null && d.busy();
  }

  /** Connections waiting for a writer now. */
  public int backlog() {
    ThreadPoolExecutor p = pool;
    return p == null ? 0 : p.getQueue().size();
  }

  @PreDestroy
  void stop() {
    WriteDelay d = delay;
    delay = null;
    ScheduledThreadPoolExecutor t = ticker;
    if (t != null) {
      t.shutdown();
      try {
        t.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (d != null) {
      d.releaseAll(this::executeAll);
    }
    ThreadPoolExecutor p = pool;
    if (p != null) {
      p.shutdown();
    }
  }
}
