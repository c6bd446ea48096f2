package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.UserView;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The outbound queue of a connection, over a fake session whose writes complete on demand. */
class ConnectionTest {

  /** A session stand-in: records writes, completes them inline or when told to. */
  static final class FakeSession {
    final List<String> written = new ArrayList<>();
    final List<SendHandler> pending = new ArrayList<>();
    boolean completeInline = true;
    CloseReason closedWith;

    Session session() {
      RemoteEndpoint.Async async =
          (RemoteEndpoint.Async)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {RemoteEndpoint.Async.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                      written.add((String) args[0]);
                      SendHandler handler = (SendHandler) args[1];
                      if (completeInline) {
                        handler.onResult(new SendResult());
                      } else {
                        pending.add(handler);
                      }
                      return null;
                    }
                    if (method.getReturnType() == Future.class) {
                      return null;
                    }
                    return null;
                  });
      return (Session)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Session.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getAsyncRemote" -> async;
                    case "getId" -> "c1";
                    case "isOpen" -> closedWith == null;
                    case "close" -> {
                      closedWith = args == null ? null : (CloseReason) args[0];
                      yield null;
                    }
                    default -> null;
                  });
    }

    void completeNext() {
      pending.remove(0).onResult(new SendResult());
    }
  }

  private final FakeSession fake = new FakeSession();
  private final SlowConsumers slow = new SlowConsumers();

  private Connection connection(int capacity) {
    return new Connection(
        fake.session(), new UserView(1, "ann", "Ann"), Instant.MAX, capacity, slow);
  }

  @Test
  void send_writesInOrderWhenWritesCompleteInline() {
    Connection c = connection(4);
    for (int i = 0; i < 1000; i++) {
      assertTrue(c.send("f" + i));
    }
    assertEquals(1000, fake.written.size());
    assertEquals("f999", fake.written.get(999));
  }

  @Test
  void send_queuesWhileAWriteIsInFlightAndKeepsOrder() {
    fake.completeInline = false;
    Connection c = connection(8);
    c.send("a");
    c.send("b");
    c.send("c");
    assertEquals(List.of("a"), fake.written);
    assertEquals(2, c.queued());
    fake.completeNext();
    fake.completeNext();
    fake.completeNext();
    assertEquals(List.of("a", "b", "c"), fake.written);
    assertEquals(0, c.queued());
  }

  @Test
  void send_closesASlowConsumerWith1013AndCountsIt() {
    fake.completeInline = false;
    Connection c = connection(2);
    assertTrue(c.send("a")); // in flight
    assertTrue(c.send("b"));
    assertTrue(c.send("c"));
    assertFalse(c.send("d")); // queue full
    assertEquals(Connection.CLOSE_SLOW_CONSUMER, fake.closedWith.getCloseCode().getCode());
    assertEquals(1, slow.closedSoFar());
    assertFalse(c.send("e"));
  }

  @Test
  void close_waitsForQueuedFrames() {
    fake.completeInline = false;
    Connection c = connection(8);
    c.send("a");
    c.send("b");
    c.close(4001, "expired");
    assertEquals(null, fake.closedWith);
    fake.completeNext();
    fake.completeNext();
    assertEquals(4001, fake.closedWith.getCloseCode().getCode());
    assertEquals(List.of("a", "b"), fake.written);
  }

  @Test
  void held_writesNothingBeforeReleaseAndTheGreetingFirst() {
    Connection c =
        Connection.held(
            fake.session(), new UserView(1, "ann", "Ann"), Instant.MAX, 8, slow, "welcome");
    c.send("push-1");
    c.send("push-2");
    assertEquals(List.of(), fake.written);
    c.release();
    assertEquals(List.of("welcome", "push-1", "push-2"), fake.written);
  }

  @Test
  void idleSweep_closesOnlyConnectionsSilentLongerThanTheHeartbeat() {
    Connection c = connection(4);
    IdleConnections sweep = new IdleConnections();
    sweep.heartbeat = java.time.Duration.ofMillis(200);
    sweep.connections =
        new Connections() {
          @Override
          public java.util.Collection<Connection> all() {
            return List.of(c);
          }
        };
    c.heard(System.nanoTime());
    sweep.sweep();
    assertEquals(null, fake.closedWith, "heard just now");
    c.heard(System.nanoTime() - java.time.Duration.ofSeconds(1).toNanos());
    sweep.sweep();
    assertEquals(IdleConnections.CLOSE_IDLE, fake.closedWith.getCloseCode().getCode());
  }
}
