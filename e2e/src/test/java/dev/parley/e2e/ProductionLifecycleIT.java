package dev.parley.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nodes coming and going on the production profile (MySQL, Consul): registration, a graceful stop,
 * a SIGKILL, and a full restart that must keep users and messages. The tests run in order on one
 * three-node cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionLifecycleIT {

  private RunningCluster cluster;
  private Gateway gateway;
  private String token;
  private final String user = "life" + UUID.randomUUID().toString().substring(0, 6);
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    cluster = RunningCluster.start(RunningCluster.Settings.production("lifecycle", 3, 18280));
    gateway = new Gateway(cluster.gatewayUrl());
    token = gateway.signIn(user).getString("token");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The ids of the nodes whose Consul checks pass. */
  private Set<String> passingInConsul() throws Exception {
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        RunningCluster.consulUrl()
                            + "/v1/health/service/parley-imnode?passing=true"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Set<String> ids = new TreeSet<>();
    for (JsonValue v : Json.createReader(new StringReader(resp.body())).readArray()) {
      ids.add(v.asJsonObject().getJsonObject("Service").getString("ID"));
    }
    return ids;
  }

  /** The ids of the nodes the gateway lists as healthy. */
  private Set<String> healthyAtGateway() throws Exception {
    Set<String> ids = new TreeSet<>();
    for (JsonValue v : (JsonArray) gateway.get("/api/nodes", token).body()) {
      JsonObject n = v.asJsonObject();
      if (n.getBoolean("healthy")) {
        ids.add(n.getString("nodeId"));
      }
    }
    return ids;
  }

  private static <T> void await(Duration limit, Supplier<T> probe, T expected) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (expected.equals(last)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L); // poll every 200 ms
    }
    throw new AssertionError("not " + expected + " within " + limit + "; last seen " + last);
  }

  /** A {@code presence} push announcing {@code userId} offline. */
  private static Predicate<JsonObject> offline(long userId) {
    return f ->
        "presence".equals(f.getString("type"))
            && !f.getBoolean("online")
            && f.getJsonObject("user").getJsonNumber("id").longValue() == userId;
  }

  private Supplier<Set<String>> consul() {
    return () -> {
      try {
        return passingInConsul();
      } catch (Exception e) {
        return Set.of("unreachable: " + e);
      }
    };
  }

  private Supplier<Set<String>> gatewayView() {
    return () -> {
      try {
        return healthyAtGateway();
      } catch (Exception e) {
        return Set.of("unreachable: " + e);
      }
    };
  }

  @Test
  @Order(1)
  void nodes_registerInConsulAndAreRoutedTo() throws Exception {
    Set<String> all = Set.of("node-1", "node-2", "node-3");
    await(Duration.ofSeconds(20), consul(), all);
    await(Duration.ofSeconds(20), gatewayView(), all);
    Set<String> routed = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      routed.add(gateway.get("/api/route", token).object().getString("nodeId"));
    }
    assertEquals(all, routed);
  }

  @Test
  @Order(2)
  void gracefulStop_leavesRoutingAtOnceAndDrainsItsClients() throws Exception {
    ChatClient onNode3 = ChatClient.connect("ws://127.0.0.1:" + cluster.nodePort(3) + "/ws", token);
    String roommateToken = gateway.signIn(user + "r").getString("token");
    try (ChatClient roommate =
        ChatClient.connect("ws://127.0.0.1:" + cluster.nodePort(1) + "/ws", roommateToken)) {
      long room =
          onNode3
              .ok("room.create", Json.createObjectBuilder().add("name", "drain " + user))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      roommate.ok("room.join", Json.createObjectBuilder().add("room", room));
      onNode3.await(ChatClient.type("member.joined"));

      ProcessHandle node3 = ProcessHandle.of(cluster.pid("node-3")).orElseThrow();
      node3.destroy(); // SIGTERM: the node deregisters before it closes its connections
      await(Duration.ofSeconds(5), consul(), Set.of("node-1", "node-2"));
      await(Duration.ofSeconds(5), gatewayView(), Set.of("node-1", "node-2"));
      JsonObject draining = onNode3.await(ChatClient.type("draining"));
      assertTrue(draining.getString("reason").contains("/api/route"), draining.toString());
      assertEquals(1012, onNode3.awaitClose());
      for (int i = 0; i < 6; i++) {
        assertTrue(
            !"node-3".equals(gateway.get("/api/route", token).object().getString("nodeId")),
            "routed to a stopped node");
      }
      // The drained node leaves its users' presence to the others, who announce offline whoever
      // has not reconnected when it leaves the node directory at the end of its drain.
      assertTrue(
          roommate.receives(offline(onNode3.userId()), Duration.ofSeconds(30)),
          "the drained node's user, who did not reconnect, was announced offline");
    }
  }

  @Test
  @Order(3)
  void killedNode_leavesRoutingWithinTheTtlAndItsUsersGoOffline() throws Exception {
    // A roommate on node 1 of a user on node 2 hears that user go offline after the kill.
    String onNode2Token = gateway.signIn(user + "x").getString("token");
    String onNode1Token = gateway.signIn(user + "y").getString("token");
    try (ChatClient x =
            ChatClient.connect("ws://127.0.0.1:" + cluster.nodePort(2) + "/ws", onNode2Token);
        ChatClient y =
            ChatClient.connect("ws://127.0.0.1:" + cluster.nodePort(1) + "/ws", onNode1Token)) {
      long room =
          x.ok("room.create", Json.createObjectBuilder().add("name", "wake " + user))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      y.ok("room.join", Json.createObjectBuilder().add("room", room));
      x.await(ChatClient.type("member.joined"));

      ProcessHandle node2 = ProcessHandle.of(cluster.pid("node-2")).orElseThrow();
      node2.destroyForcibly(); // SIGKILL: no chance to deregister
      // The gateway's own probe notices first; Consul's TTL check (10 s) follows.
      await(Duration.ofSeconds(10), gatewayView(), Set.of("node-1"));
      await(Duration.ofSeconds(25), consul(), Set.of("node-1"));
      for (int i = 0; i < 4; i++) {
        assertEquals("node-1", gateway.get("/api/route", token).object().getString("nodeId"));
      }
      // The node directory's entry of node 2 expires (20 s TTL), and node 1 announces its users.
      assertTrue(
          y.receives(offline(x.userId()), Duration.ofSeconds(60)),
          "the killed node's user was announced offline");
    }
  }

  @Test
  @Order(4)
  void fullRestart_keepsUsersRoomsAndMessages() throws Exception {
    String url = gateway.get("/api/route", token).object().getString("url");
    long roomId;
    try (ChatClient before = ChatClient.connect(url, token)) {
      roomId =
          before
              .ok("room.create", Json.createObjectBuilder().add("name", "kept " + user))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      before.ok(
          "message.send",
          Json.createObjectBuilder()
              .add("room", roomId)
              .add("kind", "text")
              .add("body", "still here ✓"));
    }

    cluster.restart();
    // The restarted nodes become routable once they are registered in Consul and the gateway's
    // Consul view and health probes have caught up, as at the first start (test 1).
    await(Duration.ofSeconds(30), gatewayView(), Set.of("node-1", "node-2", "node-3"));

    Gateway.Reply login =
        gateway.post(
            "/api/auth/login",
            "{\"username\":\"" + user + "\",\"password\":\"correct horse " + user + "\"}");
    assertEquals(200, login.status(), "the account survived: " + login.body());
    String fresh = login.object().getString("token");
    Gateway.Reply route = gateway.get("/api/route", fresh);
    assertEquals(200, route.status(), "routed after the restart: " + route.body());
    String after = route.object().getString("url");
    try (ChatClient back = ChatClient.connect(after, fresh)) {
      JsonObject history =
          back.ok("history", Json.createObjectBuilder().add("conversation", "room:" + roomId));
      JsonArray messages = history.getJsonArray("messages");
      assertEquals(1, messages.size());
      assertEquals("still here ✓", messages.getJsonObject(0).getString("body"));
      JsonObject ack =
          back.ok(
              "message.send",
              Json.createObjectBuilder()
                  .add("room", roomId)
                  .add("kind", "text")
                  .add("body", "again"));
      assertEquals(2, ack.getJsonNumber("seq").longValue(), "the sequence continues");
    }
  }
}
