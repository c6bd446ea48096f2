package dev.parley.imnode.endpoint;

import dev.parley.common.contact.Circle;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.delivery.Contacts;
import dev.parley.imnode.node.Rounds;
import dev.parley.imnode.presence.Departures;
import dev.parley.imnode.presence.OnlineUsers;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database and cluster work of a connect, done together for the connects that are waiting at
 * the same moment: one thread takes every connect queued since its last round, reads the rooms and
 * contacts of all their users in one query ({@link Contacts#circlesOf}) and enters their presence
 * in a few cluster calls ({@link OnlineUsers#register}). A connect used to make three round trips
 * of its own (the query, the presence entry, the online flag), each a wait on another process and
 * its context switches; in a burst the round trips are now per batch. A lone connect waits for no
 * one: a round starts as soon as one connect is queued.
 *
 * <p>The connect's own thread waits for its round, so its welcome still comes after its
 * subscriptions and presence are in place. A round that fails fails each of its connects (they are
 * closed with "Try again shortly").
 */
@ApplicationScoped
public class Arrivals {

  private static final System.Logger LOG = System.getLogger(Arrivals.class.getName());

  @Inject Contacts contacts;
  @Inject OnlineUsers online;
  @Inject Departures departures;

  @Resource ManagedThreadFactory threads;

  /** The most connects in one round (one query reads up to 64 users). */
  @Inject
  @ConfigProperty(name = "parley.imnode.connect.batch-max", defaultValue = "64")
  int batchMax;

  /**
   * How long a connect waits for its round before it is given up (the database or the cluster does
   * not answer); the client is told to try again shortly.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.connect.timeout", defaultValue = "PT30S")
  Duration timeout;

  /** What a connect needs from its round: its user's circle, and whether it is their first. */
  public record Arrival(Circle circle, boolean first) {}

  record Pending(Connection connection, CompletableFuture<Arrival> result) {}

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private volatile boolean stopping;
  private Thread worker;

  /** Started with the application, so that its thread has the application's context. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    worker = Rounds.start(threads, "parley-arrivals", this::run);
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (worker != null) {
      worker.interrupt();
    }
    failQueued(new IllegalStateException("the node is stopping"));
  }

  /**
   * Reads the connection's circle and enters its presence, with whatever other connects are
   * waiting; returns once that is done.
   *
   * @throws IllegalStateException when the round failed, did not finish within {@code
   *     parley.imnode.connect.timeout}, or the node is stopping
   */
  public Arrival admit(Connection connection) {
    Pending pending = new Pending(connection, new CompletableFuture<>());
    if (stopping) {
      throw new IllegalStateException("the node is stopping");
    }
    queue.add(pending);
    try {
      return pending.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException | CancellationException e) {
      // Cancelled, the round (if it ever finishes) takes the entry it made out again.
      pending.result().cancel(false);
      throw new IllegalStateException("connect set-up took longer than " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.result().cancel(false);
      throw new IllegalStateException("interrupted while setting up a connect");
    }
  }

  /** Rounds since the node started (connects over rounds: how many a round took on average). */
  public long rounds() {
    return rounds.get();
  }

  /** Connects set up since the node started. */
  public long connects() {
    return connects.get();
  }

  private void run() {
    // settle() completes every connect of its round.
    Rounds.run(queue, batchMax, () -> !stopping, this::settle, "connect round");
    failQueued(new IllegalStateException("the node is stopping"));
  }

  /** One round: everything of the batch's connects that needs another process. */
  void settle(List<Pending> batch) {
    // A connect given up before its round began is left out.
    List<Pending> waiting = batch.stream().filter(p -> !p.result().isDone()).toList();
    if (waiting.isEmpty()) {
      return;
    }
    List<Connection> opened = waiting.stream().map(Pending::connection).toList();
    rounds.incrementAndGet();
    connects.addAndGet(opened.size());
    Map<Long, Circle> circles;
    Set<Connection> first;
    try {
      circles = contacts.circlesOf(opened.stream().map(c -> c.user().id()).toList());
      first = online.register(opened);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not set up {0} connects: {1}", opened.size(), e.toString());
      waiting.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    for (Pending p : waiting) {
      Connection c = p.connection();
      if (!p.result().complete(new Arrival(circles.get(c.user().id()), first.contains(c)))) {
        // Given up while the round ran: its close may have come before its entry went in.
        departures.leaveNow(c);
      }
    }
  }

  private void failQueued(RuntimeException cause) {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(cause);
    }
  }
}
