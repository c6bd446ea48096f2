package dev.parley.imnode.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.contact.Circle;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.connection.TestConnections;
import dev.parley.imnode.delivery.Contacts;
import dev.parley.imnode.presence.Departures;
import dev.parley.imnode.presence.OnlineUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One round of {@link Arrivals}: a query and a presence registration for all its connects. */
class ArrivalsTest {

  private final List<Collection<Long>> queried = new ArrayList<>();
  private final List<List<Connection>> registered = new ArrayList<>();
  private final List<Connection> left = new ArrayList<>();
  private RuntimeException registerFails;
  private Consumer<List<Connection>> duringRegister = c -> {};
  private final Arrivals arrivals = new Arrivals();
  private final Connections connections = new Connections();
  private int sessions;

  ArrivalsTest() {
    arrivals.contacts =
        new Contacts() {
          @Override
          public Map<Long, Circle> circlesOf(Collection<Long> userIds) {
            queried.add(List.copyOf(userIds));
            Map<Long, Circle> circles = new HashMap<>();
            for (long user : userIds) {
              circles.put(user, new Circle(Set.of(user * 10), Set.of(user + 1)));
            }
            return circles;
          }
        };
    arrivals.online =
        new OnlineUsers() {
          @Override
          public Set<Connection> register(List<Connection> opened) {
            registered.add(List.copyOf(opened));
            if (registerFails != null) {
              throw registerFails;
            }
            duringRegister.accept(opened);
            // The first connection of each user is its first.
            Map<Long, Connection> first = new HashMap<>();
            opened.forEach(c -> first.putIfAbsent(c.user().id(), c));
            return Set.copyOf(first.values());
          }
        };
    arrivals.departures =
        new Departures() {
          @Override
          public void leaveNow(Connection connection) {
            left.add(connection);
          }
        };
  }

  private Arrivals.Pending pending(long userId) {
    Connection c = TestConnections.open(connections, "s" + (++sessions), userId);
    return new Arrivals.Pending(c, new CompletableFuture<>());
  }

  @Test
  void aRound_readsEveryUserInOneQuery_andRegistersEveryConnectionInOneCall() throws Exception {
    Arrivals.Pending ann = pending(1);
    Arrivals.Pending annAgain = pending(1);
    Arrivals.Pending bob = pending(2);

    arrivals.settle(List.of(ann, annAgain, bob));

    assertEquals(1, queried.size());
    assertEquals(List.of(1L, 1L, 2L), queried.get(0));
    assertEquals(
        List.of(List.of(ann.connection(), annAgain.connection(), bob.connection())), registered);
    assertEquals(
        new Arrivals.Arrival(new Circle(Set.of(10L), Set.of(2L)), true), ann.result().get());
    assertFalse(annAgain.result().get().first());
    assertEquals(
        new Arrivals.Arrival(new Circle(Set.of(20L), Set.of(3L)), true), bob.result().get());
    assertEquals(List.of(), left);
    assertEquals(1, arrivals.rounds());
    assertEquals(3, arrivals.connects());
  }

  @Test
  void aFailedRound_failsEachOfItsConnectsWithTheCause() {
    registerFails = new IllegalStateException("cluster down");
    Arrivals.Pending ann = pending(1);
    Arrivals.Pending bob = pending(2);

    arrivals.settle(List.of(ann, bob));

    for (Arrivals.Pending p : List.of(ann, bob)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> p.result().get());
      assertSame(registerFails, e.getCause());
    }
  }

  @Test
  void aConnectGivenUpBeforeItsRound_isLeftOut() throws Exception {
    Arrivals.Pending gone = pending(1);
    Arrivals.Pending bob = pending(2);
    gone.result().cancel(false);

    arrivals.settle(List.of(gone, bob));

    assertEquals(List.of(List.of(2L)), queried);
    assertEquals(List.of(List.of(bob.connection())), registered);
    assertTrue(bob.result().get().first());
    assertEquals(List.of(), left, "never entered, so nothing to take out");
  }

  @Test
  void aConnectGivenUpDuringItsRound_hasItsEntryTakenOutAgain() throws Exception {
    Arrivals.Pending slow = pending(1);
    Arrivals.Pending bob = pending(2);
    duringRegister = opened -> slow.result().cancel(false);

    arrivals.settle(List.of(slow, bob));

    assertEquals(List.of(slow.connection()), left);
    assertTrue(bob.result().get().first());
  }

  @Test
  void anEmptyRound_doesNothing() {
    Arrivals.Pending gone = pending(1);
    gone.result().cancel(false);

    arrivals.settle(List.of(gone));

    assertEquals(List.of(), queried);
    assertEquals(List.of(), registered);
    assertEquals(0, arrivals.rounds());
  }
}
