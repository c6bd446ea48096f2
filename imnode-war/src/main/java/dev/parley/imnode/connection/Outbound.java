package dev.parley.imnode.connection;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's socket writers: a few threads that write what connections have queued. Delivery only
 * queues a frame on each receiving connection and schedules that connection here once; by the time
 * a writer gets to it, every frame queued meanwhile goes out in one write ({@link Wire}). Under
 * load a connection's frames are gathered into fewer, larger writes, and the thread that delivers a
 * push to a room never waits on a socket.
 */
@ApplicationScoped
public class Outbound implements Executor {

  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.writer-threads", defaultValue = "0")
  int writerThreads;

  private volatile ThreadPoolExecutor pool;
  private final LongAdder writes = new LongAdder();
  private final LongAdder frames = new LongAdder();

  /** Starts the writers with the application, on threads made in its context. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    int n = writerThreads > 0 ? writerThreads : Runtime.getRuntime().availableProcessors();
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    p.prestartAllCoreThreads();
    pool = p;
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

  /** Connections waiting for a writer now. */
  public int backlog() {
    ThreadPoolExecutor p = pool;
    return p == null ? 0 : p.getQueue().size();
  }

  @PreDestroy
  void stop() {
    ThreadPoolExecutor p = pool;
    if (p != null) {
      p.shutdown();
    }
  }
}
