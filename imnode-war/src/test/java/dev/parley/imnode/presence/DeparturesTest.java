package dev.parley.imnode.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.UserView;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.ConnectionClosed;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.connection.TestConnections;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Departures}: the grace period, sign-outs, rounds, retries and drains. */
class DeparturesTest {

  private static final int DROPPED = 1006;

  /** The batches {@link OnlineUsers#leave} was given, as they come. */
  private final BlockingQueue<List<Departure>> left = new LinkedBlockingQueue<>();

  private final BlockingQueue<WentOffline> announced = new LinkedBlockingQueue<>();
  private final Departures departures = new Departures();
  private final Connections connections = new Connections();

  /** Users {@link OnlineUsers#leave} reports as now offline. */
  private volatile Set<Long> offline = Set.of();

  private volatile RuntimeException leaveFails;
  private int sessions;

  @SuppressWarnings("unchecked")
  DeparturesTest() {
    departures.online =
        new OnlineUsers() {
          @Override
          public List<UserView> leave(Collection<Departure> gone) {
            if (leaveFails != null) {
              RuntimeException e = leaveFails;
              leaveFails = null;
              throw e;
            }
            left.add(List.copyOf(gone));
            return gone.stream()
                .map(Departure::user)
                .distinct()
                .filter(u -> offline.contains(u.id()))
                .toList();
          }
        };
    departures.connections = connections;
    departures.wentOffline =
        (Event<WentOffline>)
            Proxy.newProxyInstance(
                Event.class.getClassLoader(),
                new Class<?>[] {Event.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("fire")) {
                    announced.add((WentOffline) args[0]);
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    departures.threads =
        (ManagedThreadFactory)
            Proxy.newProxyInstance(
                ManagedThreadFactory.class.getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("newThread")) {
                    return new Thread((Runnable) args[0]);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    departures.batchMax = 256;
  }

  @AfterEach
  void stop() {
    departures.stop();
  }

  private Connection connection(long userId) {
    return TestConnections.open(connections, "s" + (++sessions), userId);
  }

  private static Departure departure(Connection c) {
    return new Departure(c.user(), c.id());
  }

  private List<Departure> nextRound() throws InterruptedException {
    List<Departure> round = left.poll(10, TimeUnit.SECONDS);
    if (round == null) {
      throw new AssertionError("no departure round within 10 s");
    }
    return round;
  }

  @Test
  void aSignOut_isSettledAtOnce_whileADroppedConnectionWaitsOutTheGrace() throws Exception {
    departures.grace = Duration.ofHours(1);
    departures.start(null);
    Connection dropped = connection(1);
    Connection signedOut = connection(2);

    departures.closed(new ConnectionClosed(dropped, DROPPED));
    departures.closed(new ConnectionClosed(signedOut, Departures.CLOSE_SIGNED_OUT));

    assertEquals(List.of(departure(signedOut)), nextRound());
    assertEquals(1, departures.waiting(), "the dropped connection is still in its grace period");
  }

  @Test
  void aSignOut_endsTheGraceOfTheUsersDroppedConnectionsOnThisNode() throws Exception {
    departures.grace = Duration.ofHours(1);
    Connection annDropped = connection(1);
    Connection bobDropped = connection(2);
    Connection annSignsOut = connection(1);
    departures.closed(new ConnectionClosed(annDropped, DROPPED));
    departures.closed(new ConnectionClosed(bobDropped, DROPPED));
    departures.closed(new ConnectionClosed(annSignsOut, Departures.CLOSE_SIGNED_OUT));

    departures.start(null);

    assertEquals(Set.of(departure(annDropped), departure(annSignsOut)), Set.copyOf(nextRound()));
    assertEquals(1, departures.waiting(), "bob's drop is still in its grace period");
  }

  @Test
  void aDroppedConnection_isSettledWhenItsGraceIsOver() throws Exception {
    departures.grace = Duration.ofMillis(50);
    departures.start(null);
    Connection dropped = connection(1);

    departures.closed(new ConnectionClosed(dropped, DROPPED));

    assertEquals(List.of(departure(dropped)), nextRound());
  }

  @Test
  void aRound_leavesTogether_andAnnouncesItsOfflineUsersInOneEvent() {
    offline = Set.of(1L, 3L);
    Connection ann = connection(1);
    Connection annAgain = connection(1);
    Connection bob = connection(2);
    Connection cat = connection(3);
    long now = System.nanoTime();
    List<Departures.Due> round =
        List.of(ann, annAgain, bob, cat).stream()
            .map(c -> new Departures.Due(departure(c), now))
            .toList();

    departures.settle(round);

    assertEquals(
        List.of(departure(ann), departure(annAgain), departure(bob), departure(cat)), left.poll());
    assertEquals(List.of(new WentOffline(List.of(ann.user(), cat.user()))), List.copyOf(announced));
    assertEquals(1, departures.rounds());
    assertEquals(4, departures.settled());
  }

  @Test
  void aRoundWithNobodyOffline_announcesNothing() {
    Connection ann = connection(1);

    departures.settle(List.of(new Departures.Due(departure(ann), System.nanoTime())));

    assertTrue(announced.isEmpty());
    assertEquals(1, departures.settled());
  }

  @Test
  void aFailedRound_isTriedAgainLater() throws Exception {
    leaveFails = new IllegalStateException("cluster down");
    departures.grace = Duration.ZERO;
    departures.start(null);
    Connection ann = connection(1);
    offline = Set.of(1L);

    departures.closed(new ConnectionClosed(ann, DROPPED));

    // The first attempt threw; the retry, five seconds on, takes the same departure out.
    assertEquals(List.of(departure(ann)), nextRound());
    assertEquals(new WentOffline(List.of(ann.user())), announced.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aDrainingNode_leavesItsClosesToTheOtherNodes() {
    departures.grace = Duration.ZERO;
    connections.beginDrain();

    departures.closed(new ConnectionClosed(connection(1), DROPPED));

    assertEquals(0, departures.waiting());
    assertTrue(left.isEmpty());
  }

  @Test
  void aConnectGivenUp_isTakenOutWithoutAGrace() throws Exception {
    departures.grace = Duration.ofHours(1);
    departures.start(null);
    Connection ann = connection(1);

    departures.leaveNow(ann);

    assertEquals(List.of(departure(ann)), nextRound());
  }
}
