package dev.parley.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Several clients chat in two rooms and two DMs across three nodes while one node is SIGKILLed and
 * another drained. Clients retry unacked sends and come back through the gateway and sync. Then,
 * for every conversation: no acked message is lost, nothing is stored twice, and every member saw
 * seqs 1..N with the stored message at each seq.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosIT {

  private static final int CLIENTS = 6;
  private static final int MESSAGES_EACH = 30;

  private RunningCluster cluster;
  private Gateway gateway;

  @BeforeAll
  void start() throws Exception {
    cluster = RunningCluster.start(RunningCluster.Settings.embedded("chaos", 3, 18380));
    gateway = new Gateway(cluster.gatewayUrl());
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void killAndDrainMidStream_loseNothingDuplicateNothingAndKeepOrder() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 5);
    List<ResilientClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String token = gateway.signIn("chaos" + i + run).getString("token");
      ResilientClient c = new ResilientClient("c" + i, token, gateway);
      c.connect(Duration.ofSeconds(30));
      clients.add(c);
    }
    // Two rooms everyone is in, and two DMs.
    long room1;
    long room2;
    String adminToken = gateway.signIn("chaosadmin" + run).getString("token");
    try (ChatClient setup =
        ChatClient.connect(
            gateway.get("/api/route", adminToken).object().getString("url"), adminToken)) {
      room1 =
          setup
              .ok("room.create", Json.createObjectBuilder().add("name", "chaos-1 " + run))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      room2 =
          setup
              .ok("room.create", Json.createObjectBuilder().add("name", "chaos-2 " + run))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
    }
    for (ResilientClient c : clients) {
      joinBoth(c, room1, room2);
    }
    long[] ids = clients.stream().mapToLong(c -> c.userId).toArray();
    Map<Integer, Long> dmPartner = Map.of(0, ids[1], 1, ids[0], 2, ids[3], 3, ids[2]);

    ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      int who = i;
      ResilientClient c = clients.get(i);
      running.add(
          senders.submit(
              () -> {
                for (int n = 0; n < MESSAGES_EACH; n++) {
                  var target = Json.createObjectBuilder();
                  if (n % 3 == 2 && dmPartner.containsKey(who)) {
                    target.add("user", dmPartner.get(who));
                  } else {
                    target.add("room", n % 2 == 0 ? room1 : room2);
                  }
                  c.sendMessage(c + "-" + n, target, "m" + n + " from c" + who);
                  LockSupport.parkNanos(Duration.ofMillis(120).toNanos()); // pacing, not sync
                }
                return null;
              }));
    }

    // Mid-stream: node-3 dies without a word, then node-2 is drained.
    LockSupport.parkNanos(Duration.ofMillis(1200).toNanos());
    ProcessHandle.of(cluster.pid("node-3")).orElseThrow().destroyForcibly();
    LockSupport.parkNanos(Duration.ofMillis(1200).toNanos());
    ProcessHandle.of(cluster.pid("node-2")).orElseThrow().destroy();

    for (Future<?> f : running) {
      f.get(2, TimeUnit.MINUTES);
    }
    senders.shutdown();
    awaitAllAcked(clients, Duration.ofSeconds(90));
    for (ResilientClient c : clients) {
      c.syncFully();
    }
    int reconnects = clients.stream().mapToInt(ResilientClient::reconnects).sum();
    // Done: from here on a new sign-in of c0 (which kicks it) does no harm.
    clients.forEach(ResilientClient::close);

    // The stored truth, read page by page through history by a member.
    Map<String, TreeMap<Long, Long>> stored = new HashMap<>();
    String readerToken = gateway.signIn("chaos0" + run).getString("token");
    try (ChatClient reader = connectRouted(readerToken, Duration.ofSeconds(60))) {
      stored.put("room:" + room1, history(reader, "room:" + room1));
      stored.put("room:" + room2, history(reader, "room:" + room2));
      String dm01 = dm(ids[0], ids[1]);
      stored.put(dm01, history(reader, dm01));
    }

    List<String> problems = new ArrayList<>();
    for (ResilientClient c : clients) {
      problems.addAll(c.conflicts);
    }
    // No acked message lost: every ack's seq holds that message.
    int acked = 0;
    for (ResilientClient c : clients) {
      for (JsonObject ack : c.acks.values()) {
        acked++;
        TreeMap<Long, Long> conv = stored.get(ack.getString("conversation"));
        if (conv == null) {
          continue; // the second DM is checked through its members below
        }
        Long at = conv.get(ack.getJsonNumber("seq").longValue());
        if (at == null || at != ack.getJsonNumber("messageId").longValue()) {
          problems.add("lost: " + ack);
        }
      }
    }
    assertEquals(CLIENTS * MESSAGES_EACH, acked, "every send was acknowledged exactly once");
    // Nothing stored twice, no gaps.
    for (var e : stored.entrySet()) {
      TreeMap<Long, Long> conv = e.getValue();
      if (conv.size() != new HashSet<>(conv.values()).size()) {
        problems.add(e.getKey() + " stores a message twice");
      }
      if (!conv.isEmpty() && conv.lastKey() != conv.size()) {
        problems.add(e.getKey() + " has gaps: " + conv.keySet());
      }
    }
    // Every member saw 1..N, the stored message at each seq.
    for (ResilientClient c : clients) {
      for (String room : List.of("room:" + room1, "room:" + room2)) {
        if (!stored.get(room).equals(c.seen.get(room))) {
          problems.add(
              c + " saw " + room + " as " + c.seen.get(room) + ", stored " + stored.get(room));
        }
      }
    }
    TreeMap<Long, Long> dm01 = stored.get(dm(ids[0], ids[1]));
    for (int i : new int[] {0, 1}) {
      if (!dm01.equals(clients.get(i).seen.get(dm(ids[0], ids[1])))) {
        problems.add("c" + i + " saw the DM differently");
      }
    }
    String dm23 = dm(ids[2], ids[3]);
    if (!clients.get(2).seen.get(dm23).equals(clients.get(3).seen.get(dm23))) {
      problems.add("c2 and c3 saw their DM differently");
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(reconnects > 0, "the node failures did make clients reconnect");
  }

  private void joinBoth(ResilientClient c, long room1, long room2) throws Exception {
    // Through the client's own connection: a second connection of the user would kick it.
    c.request("room.join", Json.createObjectBuilder().add("room", room1));
    c.request("room.join", Json.createObjectBuilder().add("room", room2));
  }

  /**
   * Routes and connects as a client does: the gateway may still route to the killed node until its
   * registration lapses, and a client then asks for a route again.
   */
  private ChatClient connectRouted(String token, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Gateway.Reply route = gateway.get("/api/route", token);
      try {
        if (route.status() == 200) {
          return ChatClient.connect(route.object().getString("url"), token);
        }
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no routable node within " + limit + ": " + route);
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // a client's back-off
    }
  }

  private static void awaitAllAcked(List<ResilientClient> clients, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (clients.stream().anyMatch(c -> c.pendingCount() > 0)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "unacknowledged after "
                + limit
                + ": "
                + clients.stream().mapToInt(ResilientClient::pendingCount).sum()
                + " "
                + clients.stream().map(ResilientClient::state).toList());
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll with a deadline
    }
  }

  private static TreeMap<Long, Long> history(ChatClient reader, String conversation)
      throws InterruptedException {
    TreeMap<Long, Long> all = new TreeMap<>();
    Long before = null;
    while (true) {
      var page = Json.createObjectBuilder().add("conversation", conversation).add("limit", 100);
      if (before != null) {
        page.add("before", before);
      }
      JsonObject ack = reader.ok("history", page);
      JsonArray messages = ack.getJsonArray("messages");
      for (JsonValue v : messages) {
        JsonObject m = v.asJsonObject();
        Long previous =
            all.put(m.getJsonNumber("seq").longValue(), m.getJsonNumber("messageId").longValue());
        assertTrue(previous == null, "history repeated a seq");
      }
      if (!ack.getBoolean("more") || messages.isEmpty()) {
        return all;
      }
      before = messages.getJsonObject(0).getJsonNumber("seq").longValue();
    }
  }

  private static String dm(long a, long b) {
    return "dm:" + Math.min(a, b) + ":" + Math.max(a, b);
  }
}
