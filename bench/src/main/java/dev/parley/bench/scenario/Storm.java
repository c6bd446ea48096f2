package dev.parley.bench.scenario;

import dev.parley.bench.account.Gateway;
import dev.parley.bench.cluster.NodeProbe;
import dev.parley.bench.report.Report;
import dev.parley.bench.report.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code storm}: N clients in rooms, messages flowing, then all clients of one node must reconnect
 * at once — the node is drained (SIGTERM: it leaves the registry, sends {@code draining} and closes
 * with 1012) or, with {@code --trigger reconnect}, every client drops its connection. Each
 * reconnects through {@code /api/route} and catches up with {@code sync}. Measures the time until
 * all are back and synced, handshakes refused, and messages lost (a seq a member never received;
 * must be 0).
 */
final class Storm implements Scenario {

  private static final System.Logger LOG = System.getLogger(Storm.class.getName());

  /** What one member has received, per conversation. */
  private static final class Inbox {
    final Map<String, BitSet> seqs = new ConcurrentHashMap<>();
    volatile boolean affected;
    volatile long syncedAt;

    void got(String conversation, long seq) {
      BitSet b = seqs.computeIfAbsent(conversation, c -> new BitSet());
      synchronized (b) {
        b.set((int) seq);
      }
    }

    /** The sync request's {@code after}: the highest seq below which nothing is missing. */
    String after() {
      StringBuilder sb = new StringBuilder("{");
      seqs.forEach(
          (c, b) -> {
            int contiguous;
            synchronized (b) {
              contiguous = b.nextClearBit(1) - 1;
            }
            if (sb.length() > 1) {
              sb.append(',');
            }
            sb.append('"').append(c).append("\":").append(contiguous);
          });
      return sb.append('}').toString();
    }
  }

  @Override
  public void run(Run run) throws Exception {
    Options o = run.options();
    int clients = o.integer("clients", 1000);
    int roomSize = Math.min(clients, o.integer("room-size", 20));
    String trigger = o.string("trigger", "drain");
    int rate = o.integer("rate", 50);
    Duration timeout = o.duration("timeout", Duration.ofMinutes(3));
    Report report = run.report();

    Map<String, Long> latest = new ConcurrentHashMap<>();
    AtomicLong routeFailures = new AtomicLong();
    AtomicLong reconnects = new AtomicLong();
    AtomicInteger pendingSyncs = new AtomicInteger();
    AtomicInteger finalSyncs = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean finalPhase =
        new java.util.concurrent.atomic.AtomicBoolean();
    Map<String, Long> sendsInFlight = new ConcurrentHashMap<>();
    AtomicLong lastPush = new AtomicLong();
    Requests requests = new Requests();
    Gateway gateway = new Gateway(run.cluster().gateway(), 32);
    try (Crowd crowd = new Crowd(gateway, 2, 42)) {
      Traffic traffic =
          new Traffic() {
            @Override
            public void frame(Member m, String type, String frame) {
              switch (type) {
                case "message" -> {
                  lastPush.set(System.nanoTime());
                  Inbox in = (Inbox) m.state;
                  in.got(Frames.string(frame, "conversation"), Frames.number(frame, "seq", 0));
                }
                case "ack", "error" -> {
                  if (frame.contains("\"latest\":")) {
                    synced(m, frame);
                  } else if (!requests.answer(frame)) {
                    sendsInFlight.remove(Frames.string(frame, "id"));
                    noteSeq(frame);
                  }
                }
                default -> {
                  // presence, draining, member notices
                }
              }
            }

            private void noteSeq(String frame) {
              String c = Frames.string(frame, "conversation");
              if (c != null) {
                latest.merge(c, Frames.number(frame, "seq", 0), Math::max);
              }
            }

            private void synced(Member m, String frame) {
              Inbox in = (Inbox) m.state;
              jakarta.json.JsonObject answer =
                  jakarta.json.Json.createReader(new java.io.StringReader(frame)).readObject();
              answer
                  .getJsonObject("latest")
                  .forEach(
                      (c, v) ->
                          latest.merge(c, ((jakarta.json.JsonNumber) v).longValue(), Math::max));
              if (frame.contains("\"more\":true")) {
                m.send(syncFrame(m, in));
                return;
              }
              if (finalPhase.get()) {
                finalSyncs.decrementAndGet();
              } else if (in.syncedAt == 0) {
                in.syncedAt = System.nanoTime();
                pendingSyncs.decrementAndGet();
              }
            }

            @Override
            public void welcomed(Member m) {
              Inbox in = (Inbox) m.state;
              if (in != null && in.affected) {
                m.send(syncFrame(m, in));
              }
            }

            @Override
            public void dropped(Member m, int code) {
              Inbox in = (Inbox) m.state;
              if (in != null && !in.affected) {
                in.affected = true;
                pendingSyncs.incrementAndGet();
              }
              reconnect(m, 0);
            }

            @Override
            public void refused(Member m, int status) {
              reconnect(m, 100 + ThreadLocalRandom.current().nextInt(400));
            }

            private void reconnect(Member m, long delayMs) {
              if (m.leaving) {
                return;
              }
              reconnects.incrementAndGet();
              // On the crowd's timer thread: the route request is queued, not waited for, so no
              // thread per reconnect (CompletableFuture's default executor starts one per task on
              // a machine with two cores).
              crowd
                  .timer()
                  .schedule(
                      () ->
                          gateway
                              .route(m.account)
                              .whenComplete(
                                  (a, e) -> {
                                    if (e != null) {
                                      routeFailures.incrementAndGet();
                                      reconnect(m, 500);
                                    } else {
                                      m.account = a;
                                      crowd.connect(m);
                                    }
                                  }),
                      delayMs,
                      TimeUnit.MILLISECONDS);
            }
          };
      crowd.use(traffic);
      List<Member> all = crowd.signIn("storm-" + run.runId(), 0, clients, Duration.ofMinutes(20));
      for (Member m : all) {
        m.state = new Inbox();
      }
      crowd.heartbeat(Duration.ofSeconds(20));
      crowd.connectAll(all, o.integer("connect-rate", 1000), 500, Duration.ofMinutes(5));
      List<Long> rooms = new ArrayList<>();
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<String>> joins = new ArrayList<>();
      for (int first = 0; first < clients; first += roomSize) {
        String created =
            requests
                .send(all.get(first), "room.create", "\"name\":\"storm\"")
                .get(60, TimeUnit.SECONDS);
        long room = Frames.number(created.substring(created.indexOf("\"room\"")), "id", -1);
        rooms.add(room);
        for (int k = first + 1; k < Math.min(clients, first + roomSize); k++) {
          inFlight.acquire();
          joins.add(
              requests
                  .send(all.get(k), "room.join", "\"room\":" + room)
                  .whenComplete((a, e) -> inFlight.release()));
        }
      }
      for (CompletableFuture<String> f : joins) {
        f.get(5, TimeUnit.MINUTES);
      }

      // Messages flow from random members into their rooms before, during and after the storm.
      AtomicLong sent = new AtomicLong();
      var sender =
          crowd
              .timer()
              .scheduleAtFixedRate(
                  () -> {
                    int perTick = Math.max(1, rate / 10);
                    for (int i = 0; i < perTick; i++) {
                      int u = ThreadLocalRandom.current().nextInt(clients);
                      long room = rooms.get(u / roomSize);
                      Member m = all.get(u);
                      String id = m.nextId();
                      sendsInFlight.put(id, System.nanoTime());
                      if (m.send(
                          "{\"type\":\"message.send\",\"id\":\""
                              + id
                              + "\",\"room\":"
                              + room
                              + ",\"kind\":\"text\",\"body\":\"storm\"}")) {
                        sent.incrementAndGet();
                      } else {
                        sendsInFlight.remove(id);
                      }
                    }
                  },
                  100,
                  100,
                  TimeUnit.MILLISECONDS);
      TimeUnit.SECONDS.sleep(3);

      Series back = new Series("clients online");
      long t0 = System.nanoTime();
      var sampler =
          crowd
              .timer()
              .scheduleAtFixedRate(
                  () -> back.add((System.nanoTime() - t0) / 1e9, crowd.online.get()),
                  0,
                  200,
                  TimeUnit.MILLISECONDS);
      long refusedBefore = crowd.refusedHandshakes.get();
      long failedBefore = crowd.failedConnects.get();
      String drained = null;
      if ("drain".equals(trigger)) {
        List<NodeProbe> nodes = run.cluster().nodes();
        if (nodes.size() < 2) {
          throw new IllegalStateException("a drain storm needs at least two nodes");
        }
        NodeProbe victim = nodes.get(nodes.size() - 1);
        drained = victim.name();
        long onVictim = all.stream().filter(m -> victim.name().equals(m.nodeId)).count();
        LOG.log(System.Logger.Level.INFO, "draining {0} with {1} clients", drained, onVictim);
        report.result("clientsOnDrainedNode", onVictim);
        long dropsBefore = crowd.drops.get();
        ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroy);
        // The node leaves the registry, then sends draining and closes: wait until its clients
        // have all been let go (or the process is gone).
        crowd.await(
            () -> crowd.drops.get() - dropsBefore >= onVictim || !victim.alive(),
            Duration.ofMinutes(2));
      } else {
        long dropsBefore = crowd.drops.get();
        for (Member m : all) {
          m.socket.close();
        }
        crowd.await(() -> crowd.drops.get() - dropsBefore >= clients, Duration.ofMinutes(1));
      }
      // Wait until every affected client is back and synced (and nobody is still reconnecting).
      boolean settled =
          crowd.await(() -> pendingSyncs.get() == 0 && crowd.online.get() == clients, timeout);
      long lastSynced = 0;
      long affected = 0;
      for (Member m : all) {
        Inbox in = (Inbox) m.state;
        if (in.affected) {
          affected++;
          lastSynced = Math.max(lastSynced, in.syncedAt);
        }
      }
      double recovery = lastSynced == 0 ? -1 : (lastSynced - t0) / 1e9;
      TimeUnit.SECONDS.sleep(2);
      sender.cancel(false);
      // Let the last sends be acknowledged (a send whose connection broke is never answered),
      // then wait until pushes have stopped arriving for two seconds.
      crowd.await(sendsInFlight::isEmpty, Duration.ofSeconds(30));
      crowd.await(() -> System.nanoTime() - lastPush.get() > 2e9, Duration.ofSeconds(60));
      sampler.cancel(false);
      long gaps = missing(all, rooms, roomSize, latest);
      // Pushes are best-effort; a client repairs gaps with sync. What sync cannot bring is lost.
      finalPhase.set(true);
      finalSyncs.set(clients);
      for (Member m : all) {
        if (!m.send(syncFrame(m, m.state))) {
          finalSyncs.decrementAndGet();
        }
      }
      boolean finalSynced = crowd.await(() -> finalSyncs.get() <= 0, Duration.ofSeconds(60));
      long lost = missing(all, rooms, roomSize, latest);

      long expected = 0;
      for (int u = 0; u < clients; u++) {
        expected += latest.getOrDefault("room:" + rooms.get(u / roomSize), 0L);
      }
      report.result("trigger", trigger);
      if (drained != null) {
        report.result("drainedNode", drained);
      }
      report.result("clients", clients);
      report.result("clientsAffected", affected);
      report.result("allBackAndSynced", settled);
      report.result("secondsUntilAllBackAndSynced", round(recovery));
      report.result("reconnectAttempts", reconnects.get());
      // Connections coming back per second: the handshake burst the cluster absorbed.
      report.result("peakReconnectsPerSecond", round(back.peakRise(1.0)));
      report.result("meanReconnectsPerSecond", recovery > 0 ? round(affected / recovery) : 0);
      report.result("handshakesRefused", crowd.refusedHandshakes.get() - refusedBefore);
      report.result("connectFailures", crowd.failedConnects.get() - failedBefore);
      report.result("routeFailures", routeFailures.get());
      report.result("messagesSent", sent.get());
      report.result("messageCopiesExpected", expected);
      report.result("sendsUnanswered", sendsInFlight.size());
      report.result("pushGapsBeforeFinalSync", gaps);
      report.result("finalSyncAnswered", finalSynced);
      report.result("messagesLost", lost);
      report.result("connections", crowd.counts());
      report.target("messages lost in a reconnect storm", "0", Long.toString(lost), lost == 0);
      report.target(
          "handshakes refused",
          "0",
          Long.toString(crowd.refusedHandshakes.get() - refusedBefore),
          crowd.refusedHandshakes.get() == refusedBefore);
      report.plot("clients back after the " + trigger, "seconds since the trigger", "online", back);
      report.completed(settled && finalSynced && lost == 0);
      for (Member m : all) {
        m.leaving = true;
      }
      crowd.disconnectAll(Duration.ofSeconds(30));
    }
  }

  /**
   * Message copies members are missing: for each member and its room, the seqs up to the room's
   * last (highest acked, reported by a sync, or received by anyone) it has not received.
   */
  private static long missing(
      List<Member> all, List<Long> rooms, int roomSize, Map<String, Long> latest) {
    for (Member m : all) {
      ((Inbox) m.state).seqs.forEach((c, b) -> latest.merge(c, (long) b.length() - 1, Math::max));
    }
    long missing = 0;
    for (int u = 0; u < all.size(); u++) {
      String c = "room:" + rooms.get(u / roomSize);
      long last = latest.getOrDefault(c, 0L);
      BitSet b = ((Inbox) all.get(u).state).seqs.getOrDefault(c, new BitSet());
      synchronized (b) {
        missing += last - b.get(1, (int) last + 1).cardinality();
      }
    }
    return missing;
  }

  private static String syncFrame(Member m, Object state) {
    return "{\"type\":\"sync\",\"id\":\""
        + m.nextId()
        + "\",\"after\":"
        + ((Inbox) state).after()
        + "}";
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
