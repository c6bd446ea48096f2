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
import java.util.concurrent.CompletableFuture;
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

  /** A wire that gathers like Tyrus' raw one: records each write's frames, completes on demand. */
  static final class GatheringWire implements Wire {
    final List<List<String>> writes = new ArrayList<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();
    final int gatherBytes;

    GatheringWire(int gatherBytes) {
      this.gatherBytes = gatherBytes;
    }

    @Override
    public CompletableFuture<?> write(List<OutboundFrame> frames) {
      writes.add(frames.stream().map(OutboundFrame::text).toList());
      CompletableFuture<Void> done = new CompletableFuture<>();
      pending.add(done);
      return done;
    }

    @Override
    public int gatherBytes() {
      return gatherBytes;
    }

    void completeNext() {
      pending.remove(0).complete(null);
    }
  }

  private final FakeSession fake = new FakeSession();
  private final SlowConsumers slow = new SlowConsumers();

  private Connection connection(int capacity, Wire wire, Outbound outbound) {
    return new Connection(
        fake.session(), new UserView(1, "ann", "Ann"), Instant.MAX, capacity, slow, wire, outbound);
  }

  /** Writers that only collect what is scheduled on them, to be run when the test says. */
  private static Outbound deferred(List<Runnable> scheduled) {
    return new Outbound() {
      @Override
      public void execute(Runnable flush) {
        scheduled.add(flush);
      }
    };
  }

  private Connection connection(int capacity) {
    Session session = fake.session();
    return new Connection(
        session,
        new UserView(1, "ann", "Ann"),
        Instant.MAX,
        capacity,
        slow,
        new TextWire(session),
        new Outbound());
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
            fake.session(),
            new UserView(1, "ann", "Ann"),
            Instant.MAX,
            8,
            slow,
            Wire.of(fake.session(), 16384),
            new Outbound(),
            "welcome");
    c.send("push-1");
    c.send("push-2");
    assertEquals(List.of(), fake.written);
    c.release();
    assertEquals(List.of("welcome", "push-1", "push-2"), fake.written);
  }

  @Test
  void gatheringWire_writesWhatQueuedDuringAWriteTogether_inOrder_withinTheByteLimit() {
    // Each frame "fN" is 2 + 2 bytes on the wire: a 10-byte limit gathers two per write.
    GatheringWire wire = new GatheringWire(10);
    Connection c = connection(16, wire, new Outbound());
    OutboundFrame shared = OutboundFrame.of("f0");
    c.send(shared);
    for (int i = 1; i <= 4; i++) {
      c.send("f" + i);
    }
    assertEquals(List.of(List.of("f0")), wire.writes, "one write in flight, the rest queued");
    assertEquals(4, c.queued());
    wire.completeNext();
    assertEquals(List.of("f1", "f2"), wire.writes.get(1));
    wire.completeNext();
    assertEquals(List.of("f3", "f4"), wire.writes.get(2));
    wire.completeNext();
    assertEquals(3, wire.writes.size());
    assertEquals(0, c.queued());
    c.send("f5");
    assertEquals(List.of("f5"), wire.writes.get(3), "idle again: the next frame goes at once");
  }

  @Test
  void framesQueuedBeforeTheWriterRuns_goOutInOneWrite_andTheConnectionIsScheduledOnce() {
    List<Runnable> scheduled = new ArrayList<>();
    Outbound deferred = deferred(scheduled);
    GatheringWire wire = new GatheringWire(16384);
    Connection c = connection(16, wire, deferred);
    for (int i = 0; i < 5; i++) {
      c.send("f" + i);
    }
    assertEquals(1, scheduled.size(), "scheduled once, however many frames");
    assertEquals(List.of(), wire.writes, "nothing written on the delivering thread");
    scheduled.remove(0).run();
    assertEquals(List.of(List.of("f0", "f1", "f2", "f3", "f4")), wire.writes);
    assertEquals(1, deferred.writes());
    assertEquals(5, deferred.frames());
  }

  @Test
  void sendNow_writesAnIdleConnectionOnTheCallingThread_withoutAWriter() {
    List<Runnable> scheduled = new ArrayList<>();
    Outbound deferred = deferred(scheduled);
    GatheringWire wire = new GatheringWire(16384);
    Connection c = connection(16, wire, deferred);
    assertTrue(c.sendNow("ack"));
    assertEquals(List.of(List.of("ack")), wire.writes, "written before sendNow returned");
    assertEquals(List.of(), scheduled, "no writer involved");
    wire.completeNext();
    // The write completed later (the socket was full): the connection went back to the writers.
    assertEquals(1, scheduled.size());
    scheduled.remove(0).run();
    assertTrue(c.sendNow("next"));
    assertEquals(List.of(List.of("ack"), List.of("next")), wire.writes);
  }

  @Test
  void sendNow_queuesBehindAWriteInFlight_inOrder_andWritesNothingItself() {
    List<Runnable> scheduled = new ArrayList<>();
    Outbound deferred = deferred(scheduled);
    GatheringWire wire = new GatheringWire(16384);
    Connection c = connection(16, wire, deferred);
    c.send("push");
    assertTrue(c.sendNow("ack"));
    assertEquals(List.of(), wire.writes, "a writer is scheduled: sendNow only queues");
    scheduled.remove(0).run();
    assertEquals(List.of(List.of("push", "ack")), wire.writes);
  }

  @Test
  void sendNow_onAHeldConnection_waitsForTheGreeting() {
    GatheringWire wire = new GatheringWire(16384);
    Connection c =
        Connection.held(
            fake.session(),
            new UserView(1, "ann", "Ann"),
            Instant.MAX,
            16,
            slow,
            wire,
            new Outbound(),
            "welcome");
    c.sendNow("early");
    assertEquals(List.of(), wire.writes);
    c.release();
    assertEquals(List.of(List.of("welcome", "early")), wire.writes);
  }

  @Test
  void gatheringWire_aFailedWriteClosesTheConnectionAndDropsTheQueue() {
    GatheringWire wire = new GatheringWire(1024);
    Connection c = connection(16, wire, new Outbound());
    c.send("a");
    c.send("b");
    wire.pending.remove(0).completeExceptionally(new java.io.IOException("reset"));
    assertEquals(
        CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(),
        fake.closedWith.getCloseCode().getCode());
    assertEquals(0, c.queued());
    assertFalse(c.send("c"));
  }

  @Test
  void gatheringWire_aWriteThatCompletesInlineContinuesWithoutRecursion() {
    Wire inline =
        new Wire() {
          int writes;

          @Override
          public CompletableFuture<?> write(List<OutboundFrame> frames) {
            writes++;
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public int gatherBytes() {
            return 64;
          }
        };
    Connection c = connection(4, inline, new Outbound());
    for (int i = 0; i < 100_000; i++) {
      assertTrue(c.send("f" + i));
    }
    assertEquals(0, c.queued());
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
