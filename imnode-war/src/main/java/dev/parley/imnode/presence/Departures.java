package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.ConnectionClosed;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.node.Rounds;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What happens to presence when a connection closes, off the thread that closed it. Its entry stays
 * for a grace period ({@code parley.imnode.presence.offline-grace}): a client that comes back
 * within it (a page reload, a network blip, a reconnect storm) finds itself still online, so its
 * contacts see no offline-then-online flap, and the node does no cluster calls and sends no
 * presence pushes for it but the entry's removal. A client that signs out (close code {@link
 * #CLOSE_SIGNED_OUT}) is announced offline at once, and so are the user's connections still in
 * their grace period on this node.
 *
 * <p>One thread ({@code parley-departures}) takes every departure whose time has come, in rounds
 * ({@link Rounds}): it removes their entries, and the users left with none are announced offline
 * together ({@link WentOffline}: one query for all their contacts). A close used to hold its
 * listener thread for four cluster calls and a query, so a burst of closes kept the handshakes of
 * the same clients coming back waiting for a thread.
 *
 * <p>A draining node leaves its users' presence to the other nodes (they drop its entries when it
 * leaves the cluster); departures still waiting when the node stops are left to them too.
 */
@ApplicationScoped
public class Departures {

  private static final System.Logger LOG = System.getLogger(Departures.class.getName());

  /** The close code a client signs out with: its user is announced offline without a grace. */
  public static final int CLOSE_SIGNED_OUT = 4000;

  /** How long a round that failed waits before it is tried again. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  @Inject OnlineUsers online;
  @Inject Connections connections;
  @Inject Event<WentOffline> wentOffline;

  @Resource ManagedThreadFactory threads;

  /**
   * How long a closed connection's user stays online: a connection of theirs that opens within it
   * (on any node) continues their presence.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.presence.offline-grace", defaultValue = "PT10S")
  Duration grace;

  /** The most departures in one round. */
  @Inject
  @ConfigProperty(name = "parley.imnode.presence.batch-max", defaultValue = "256")
  int batchMax;

  /** A closed connection, due to be taken out of presence at {@code due} (System.nanoTime()). */
  record Due(Departure departure, long due) implements Delayed {

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return other instanceof Due d
          ? Long.compare(due - d.due, 0)
          : Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }

  private final DelayQueue<Due> queue = new DelayQueue<>();
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private volatile boolean stopping;
  private Thread worker;

  /** Started with the application, so that its thread has the application's context. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    worker = Rounds.start(threads, "parley-departures", this::run);
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (worker != null) {
      worker.interrupt();
    }
    queue.clear();
  }

  void closed(@Observes ConnectionClosed event) {
    if (connections.isDraining()) {
      // The node is closing all its connections and its users are reconnecting elsewhere: the
      // other nodes drop this node's entries when it leaves the node directory at the end of the
      // drain, and announce offline whoever has not come back by then.
      return;
    }
    if (event.code() == CLOSE_SIGNED_OUT) {
      endGraceOf(event.connection().user().id());
      leave(event.connection(), Duration.ZERO);
    } else {
      leave(event.connection(), grace);
    }
  }

  /**
   * A user who signs out means to be gone: connections of theirs that dropped on this node and are
   * still in their grace period are settled with the sign-out (one that dropped on another node
   * ends with its grace there).
   */
  private void endGraceOf(long userId) {
    long now = System.nanoTime();
    for (Due d : queue) {
      if (d.departure().user().id() == userId && d.getDelay(TimeUnit.NANOSECONDS) > 0) {
        if (queue.remove(d)) {
          queue.add(new Due(d.departure(), now));
        }
      }
    }
  }

  /**
   * Takes a connection out of presence without a grace: one whose set-up was given up after its
   * entry went in.
   */
  public void leaveNow(Connection connection) {
    leave(connection, Duration.ZERO);
  }

  private void leave(Connection connection, Duration after) {
    queue.add(
        new Due(
            new Departure(connection.user(), connection.id()),
            System.nanoTime() + after.toNanos()));
  }

  /** Departures settled since the node started. */
  public long settled() {
    return settled.get();
  }

  /** Rounds since the node started. */
  public long rounds() {
    return rounds.get();
  }

  /** Closed connections still in their grace period (or waiting for their round). */
  public int waiting() {
    return queue.size();
  }

  private void run() {
    Rounds.run(queue, batchMax, () -> !stopping, this::settle, "departure round");
  }

  /** One round: the entries out, and the users left without any announced offline together. */
  void settle(List<Due> batch) {
    List<Departure> gone = batch.stream().map(Due::departure).toList();
    List<UserView> offline;
    try {
      offline = online.leave(gone);
    } catch (RuntimeException e) {
      if (stopping) {
        return;
      }
      // The cluster did not answer: the same departures again shortly (taking an entry out and
      // looking for the user's others can be repeated).
      LOG.log(
          Level.WARNING,
          "could not settle {0} departures, trying again in {1}: {2}",
          gone.size(),
          RETRY,
          e.toString());
      long again = System.nanoTime() + RETRY.toNanos();
      gone.forEach(d -> queue.add(new Due(d, again)));
      return;
    }
    rounds.incrementAndGet();
    settled.addAndGet(gone.size());
    if (!offline.isEmpty()) {
      wentOffline.fire(new WentOffline(offline));
    }
  }
}
