package dev.parley.e2e;

import static dev.parley.e2e.ChatClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract against a real gateway and two real IM nodes: two users routed to different nodes
 * see each other's room messages and notices in both directions, and the handshake and frame errors
 * behave as the contract says. Each profile runs the same suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractSuite {

  RunningCluster cluster;
  Gateway gateway;
  final String suffix = UUID.randomUUID().toString().substring(0, 6);

  /** The two-node cluster this suite runs against. */
  abstract RunningCluster.Settings settings();

  /**
   * Whether the cluster's nodes route pushes by interest ({@code
   * parley.imnode.cluster.broadcast-nodes=0}); otherwise, a small cluster, every push goes to every
   * node.
   */
  boolean routesByInterest() {
    return false;
  }

  @BeforeAll
  void start() throws Exception {
    cluster = RunningCluster.start(settings());
    gateway = new Gateway(cluster.gatewayUrl());
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Signs a user in and connects them to the node the gateway routes them to. */
  private ChatClient connectRouted(String name) throws Exception {
    String token = gateway.signIn(name + suffix).getString("token");
    JsonObject route = gateway.get("/api/route", token).object();
    return ChatClient.connect(route.getString("url"), token);
  }

  /** Connects two users to two different nodes (the router hands nodes out round-robin). */
  private ChatClient[] pairOnTwoNodes(String a, String b) throws Exception {
    ChatClient first = connectRouted(a);
    for (int attempt = 0; attempt < 6; attempt++) {
      ChatClient second = connectRouted(b);
      if (!second.nodeId().equals(first.nodeId())) {
        return new ChatClient[] {first, second};
      }
      second.close();
    }
    throw new AssertionError("the gateway never routed to a second node");
  }

  @Test
  void nodes_areListedAndRoutedRoundRobin() throws Exception {
    String token = gateway.signIn("lister" + suffix).getString("token");
    JsonArray nodes = (JsonArray) gateway.get("/api/nodes", token).body();
    assertEquals(2, nodes.size(), nodes.toString());
    Map<String, Integer> routed = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      routed.merge(gateway.get("/api/route", token).object().getString("nodeId"), 1, Integer::sum);
    }
    assertEquals(Map.of("node-1", 2, "node-2", 2), routed);
  }

  @Test
  void roomTraffic_crossesNodesInBothDirections() throws Exception {
    ChatClient[] pair = pairOnTwoNodes("ann", "bob");
    try (ChatClient ann = pair[0];
        ChatClient bob = pair[1]) {
      assertNotEquals(ann.nodeId(), bob.nodeId());

      String roomName = "lobby " + suffix;
      JsonObject created = ann.ok("room.create", Json.createObjectBuilder().add("name", roomName));
      long roomId = created.getJsonObject("room").getJsonNumber("id").longValue();
      JsonObject notice =
          bob.await(
              f ->
                  "room.created".equals(f.getString("type"))
                      && f.getJsonObject("room").getJsonNumber("id").longValue() == roomId);
      assertEquals(roomName, notice.getJsonObject("room").getString("name"));

      JsonObject joined = bob.ok("room.join", Json.createObjectBuilder().add("room", roomId));
      assertEquals(2, joined.getJsonArray("members").size());
      JsonObject memberJoined = ann.await(type("member.joined"));
      assertEquals(
          bob.userId(), memberJoined.getJsonObject("user").getJsonNumber("id").longValue());

      JsonObject ack =
          ann.ok(
              "message.send",
              Json.createObjectBuilder()
                  .add("room", roomId)
                  .add("kind", "text")
                  .add("body", "hi <b>bob</b>"));
      assertEquals("room:" + roomId, ack.getString("conversation"));
      assertEquals(1, ack.getJsonNumber("seq").longValue());
      JsonObject atBob = bob.await(type("message"));
      assertEquals("hi <b>bob</b>", atBob.getString("body"));
      assertEquals(1, atBob.getJsonNumber("seq").longValue());
      assertEquals(ann.userId(), atBob.getJsonObject("from").getJsonNumber("id").longValue());

      JsonObject reply =
          bob.ok(
              "message.send",
              Json.createObjectBuilder()
                  .add("room", roomId)
                  .add("kind", "text")
                  .add("body", "hello ann 👋"));
      assertEquals(2, reply.getJsonNumber("seq").longValue());
      JsonObject atAnn = ann.await(type("message"));
      assertEquals("hello ann 👋", atAnn.getString("body"));
      assertEquals(2, atAnn.getJsonNumber("seq").longValue());

      // The sender gets its ack, not a push of its own message.
      assertFalse(
          ann.receives(
              f -> "message".equals(f.getString("type")) && f.getJsonNumber("seq").longValue() == 1,
              Duration.ofMillis(500)));

      JsonObject history =
          bob.ok("history", Json.createObjectBuilder().add("conversation", "room:" + roomId));
      assertEquals(2, history.getJsonArray("messages").size());
      // Stored and read back: emoji survive the database (utf8mb4 on MySQL).
      assertEquals(
          "hello ann 👋", history.getJsonArray("messages").getJsonObject(1).getString("body"));

      bob.ok("room.leave", Json.createObjectBuilder().add("room", roomId));
      JsonObject memberLeft = ann.await(type("member.left"));
      assertEquals(bob.userId(), memberLeft.getJsonObject("user").getJsonNumber("id").longValue());

      // Having left, bob no longer receives the room's messages, and may not send to it.
      ann.ok(
          "message.send",
          Json.createObjectBuilder().add("room", roomId).add("kind", "text").add("body", "gone?"));
      assertFalse(bob.receives(type("message"), Duration.ofSeconds(1)));
      JsonObject refused =
          bob.request(
              "message.send",
              Json.createObjectBuilder().add("room", roomId).add("kind", "text").add("body", "x"));
      assertEquals("NOT_A_MEMBER", refused.getString("code"));
    }
  }

  @Test
  void roomTraffic_reachesOnlyMembers_andCrossesOnlyToNodesHostingOneWhenRoutedByInterest()
      throws Exception {
    // ann and bob on the first node, cid on the second: the room lives on the first node only.
    String annToken = gateway.signIn("ia" + suffix).getString("token");
    String bobToken = gateway.signIn("ib" + suffix).getString("token");
    String cidToken = gateway.signIn("ic" + suffix).getString("token");
    try (ChatClient ann = ChatClient.connect("ws://127.0.0.1:" + nodePort() + "/ws", annToken);
        ChatClient bob = ChatClient.connect("ws://127.0.0.1:" + nodePort() + "/ws", bobToken);
        ChatClient cid =
            ChatClient.connect("ws://127.0.0.1:" + (nodePort() + 1) + "/ws", cidToken)) {
      long roomId =
          ann.ok("room.create", Json.createObjectBuilder().add("name", "quiet " + suffix))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      // room.created goes to everyone, so it reaches cid's node; after that, nothing should.
      cid.await(
          f ->
              "room.created".equals(f.getString("type"))
                  && f.getJsonObject("room").getJsonNumber("id").longValue() == roomId);
      bob.ok("room.join", Json.createObjectBuilder().add("room", roomId));
      ann.await(type("member.joined"));
      long before = pushesReceived(nodePort() + 1);

      int messages = 20;
      for (int i = 1; i <= messages; i++) {
        ann.ok(
            "message.send",
            Json.createObjectBuilder()
                .add("room", roomId)
                .add("kind", "text")
                .add("body", "m" + i));
      }
      bob.await(f -> "message".equals(f.getString("type")) && f.getInt("seq") == messages);
      bob.sendRaw(
          Json.createObjectBuilder()
              .add("type", "typing")
              .add("conversation", "room:" + roomId)
              .build()
              .toString());
      ann.await(type("typing"));

      // Once cid joins, the room's traffic crosses to cid's node: the join notice and the next
      // message. A topic keeps each publisher's order, so any push of the 20 messages or the
      // typing notice that had wrongly crossed would have arrived before message 21.
      cid.ok("room.join", Json.createObjectBuilder().add("room", roomId));
      ann.await(
          f ->
              "member.joined".equals(f.getString("type"))
                  && f.getJsonObject("user").getJsonNumber("id").longValue() == cid.userId());
      ann.ok(
          "message.send",
          Json.createObjectBuilder().add("room", roomId).add("kind", "text").add("body", "hi cid"));
      JsonObject atCid = cid.await(type("message"));
      assertEquals(messages + 1, atCid.getInt("seq"), "cid received none of the messages before");
      long crossed = pushesReceived(nodePort() + 1) - before;
      if (routesByInterest()) {
        assertEquals(
            2, crossed, "cid's node received only the member.joined of cid and message 21");
      } else {
        // Broadcast: cid's node read every push and delivered none of them to cid (above).
        assertTrue(
            crossed >= messages + 3,
            "the 20 messages, the typing notice, the join and message 21 reached cid's node: "
                + crossed);
      }
    }
  }

  @Test
  void longMessage_crossesNodesCompressed_andArrivesIntact() throws Exception {
    ChatClient[] pair = pairOnTwoNodes("lena", "lars");
    try (ChatClient lena = pair[0];
        ChatClient lars = pair[1]) {
      long roomId = roomOfTwo(lena, "long " + suffix, lars);
      int lenaPort = nodePort() + ("node-1".equals(lena.nodeId()) ? 0 : 1);
      long before = readiness(lenaPort, "pushesCompressed");

      // Longer than parley.imnode.cluster.compress-above (1024): it travels deflated.
      String body = "Grüße 你好 👋 <b>&amp;</b> line after line. ".repeat(90);
      lena.ok(
          "message.send",
          Json.createObjectBuilder().add("room", roomId).add("kind", "text").add("body", body));
      JsonObject atLars = lars.await(type("message"));
      assertEquals(body, atLars.getString("body"));
      assertTrue(
          readiness(lenaPort, "pushesCompressed") > before,
          "the push left " + lena.nodeId() + " compressed");
    }
  }

  /** A room {@code creator} creates and {@code joiner} joins; its id. */
  private static long roomOfTwo(ChatClient creator, String name, ChatClient joiner)
      throws InterruptedException {
    long roomId =
        creator
            .ok("room.create", Json.createObjectBuilder().add("name", name))
            .getJsonObject("room")
            .getJsonNumber("id")
            .longValue();
    joiner.ok("room.join", Json.createObjectBuilder().add("room", roomId));
    return roomId;
  }

  /** The count of pushes a node has received from the cluster (its readiness data). */
  private long pushesReceived(int port) throws Exception {
    return readiness(port, "pushesReceived");
  }

  /** One counter of a node's readiness data. */
  private long readiness(int port, String key) throws Exception {
    JsonObject health = new Gateway("http://127.0.0.1:" + port).get("/health/ready", null).object();
    // Payara's health endpoint renders the data values as strings.
    jakarta.json.JsonValue value =
        health.getJsonArray("checks").getJsonObject(0).getJsonObject("data").get(key);
    return value instanceof jakarta.json.JsonNumber n
        ? n.longValue()
        : Long.parseLong(((jakarta.json.JsonString) value).getString());
  }

  @Test
  void secondSignIn_kicksTheOlderConnectionOnAnyNode() throws Exception {
    String token = gateway.signIn("kim" + suffix).getString("token");
    ChatClient first = ChatClient.connect("ws://127.0.0.1:" + nodePort() + "/ws", token);
    // The newer sign-in lands on the other node: the kick crosses the cluster.
    try (ChatClient second =
        ChatClient.connect("ws://127.0.0.1:" + (nodePort() + 1) + "/ws", token)) {
      JsonObject kicked = first.await(type("kicked"));
      assertFalse(kicked.getString("reason").isBlank());
      assertEquals(4002, first.awaitClose());
      second.sendRaw("{\"type\":\"ping\"}");
      second.await(type("pong"));
      assertTrue(second.isOpen(), "the newest connection stays");
    }
  }

  @Test
  void presence_tellsRoommatesWhenAUserComesAndGoes() throws Exception {
    ChatClient[] pair = pairOnTwoNodes("pia", "quinn");
    try (ChatClient pia = pair[0]) {
      ChatClient quinn = pair[1];
      long roomId =
          pia.ok("room.create", Json.createObjectBuilder().add("name", "presence " + suffix))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      quinn.ok("room.join", Json.createObjectBuilder().add("room", roomId));
      long quinnId = quinn.userId();
      // Closed without signing out (1000): quinn stays online for the node's grace period (10 s by
      // default), then is announced offline.
      quinn.close();
      JsonObject gone =
          pia.await(
              f ->
                  "presence".equals(f.getString("type"))
                      && f.getJsonObject("user").getJsonNumber("id").longValue() == quinnId,
              Duration.ofSeconds(30));
      assertFalse(gone.getBoolean("online"));
      try (ChatClient back = connectRouted("quinn")) {
        JsonObject online =
            pia.await(
                f ->
                    "presence".equals(f.getString("type"))
                        && f.getJsonObject("user").getJsonNumber("id").longValue() == quinnId
                        && f.getBoolean("online"));
        assertTrue(online.getBoolean("online"));
        assertTrue(back.isOpen());
      }
    }
  }

  @Test
  void imageMessage_carriesItsUploadWithDimensionsToTheOtherNode() throws Exception {
    ChatClient[] pair = pairOnTwoNodes("ivy", "jon");
    try (ChatClient ivy = pair[0];
        ChatClient jon = pair[1]) {
      long roomId = roomOfTwo(ivy, "pics " + suffix, jon);
      String ivyToken = gateway.signIn("ivy" + suffix).getString("token");
      byte[] png = png(3, 2);
      JsonObject upload = gateway.upload(ivyToken, "tiny.png", "image/png", png).object();
      assertEquals(3, upload.getInt("width"));
      ivy.ok(
          "message.send",
          Json.createObjectBuilder()
              .add("room", roomId)
              .add("kind", "image")
              .add("body", "look")
              .add("fileId", upload.getString("fileId")));
      JsonObject file = jon.await(type("message")).getJsonObject("file");
      assertEquals("image/png", file.getString("contentType"));
      assertEquals(3, file.getInt("width"));
      assertEquals(2, file.getInt("height"));
      var download =
          HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create(cluster.gatewayUrl() + file.getString("url")))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, download.statusCode());
      assertTrue(java.util.Arrays.equals(png, download.body()), "the same bytes come back");
      // Someone else's upload cannot be attached.
      JsonObject refused =
          jon.request(
              "message.send",
              Json.createObjectBuilder()
                  .add("room", roomId)
                  .add("kind", "image")
                  .add("body", "mine?")
                  .add("fileId", upload.getString("fileId")));
      assertEquals("FILE_NOT_FOUND", refused.getString("code"));
    }
  }

  private static byte[] png(int width, int height) throws java.io.IOException {
    var image =
        new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void retriedSend_returnsTheSameAckAndStoresNothingNew() throws Exception {
    try (ChatClient cat = connectRouted("cat")) {
      long roomId =
          cat.ok("room.create", Json.createObjectBuilder().add("name", "retry " + suffix))
              .getJsonObject("room")
              .getJsonNumber("id")
              .longValue();
      var send =
          Json.createObjectBuilder().add("room", roomId).add("kind", "text").add("body", "once");
      JsonObject first = cat.requestWithId("m-1", "message.send", send);
      JsonObject again =
          cat.requestWithId(
              "m-1",
              "message.send",
              Json.createObjectBuilder()
                  .add("room", roomId)
                  .add("kind", "text")
                  .add("body", "once"));
      assertEquals(first.getJsonNumber("seq"), again.getJsonNumber("seq"));
      assertEquals(first.getJsonNumber("messageId"), again.getJsonNumber("messageId"));
      JsonObject history =
          cat.ok("history", Json.createObjectBuilder().add("conversation", "room:" + roomId));
      assertEquals(1, history.getJsonArray("messages").size());
    }
  }

  @Test
  void refreshedToken_renewsTheOpenConnectionAndConnectsAnew() throws Exception {
    String token = gateway.signIn("ren" + suffix).getString("token");
    JsonObject route = gateway.get("/api/route", token).object();
    try (ChatClient ren = ChatClient.connect(route.getString("url"), token)) {
      Gateway.Reply refreshed = gateway.postBearer("/api/auth/refresh", token);
      assertEquals(200, refreshed.status(), String.valueOf(refreshed.body()));
      String fresh = refreshed.object().getString("token");
      assertNotEquals(token, fresh);
      JsonObject ack = ren.request("auth.renew", Json.createObjectBuilder().add("token", fresh));
      assertEquals("ack", ack.getString("type"), ack.toString());
      assertTrue(
          java.time.Instant.parse(ack.getString("expiresAt"))
              .isAfter(java.time.Instant.now().plusSeconds(60)),
          ack.toString());
      // The fresh token is as good as the first for routing and for a new connection.
      JsonObject again = gateway.get("/api/route", fresh).object();
      try (ChatClient second = ChatClient.connect(again.getString("url"), fresh)) {
        assertEquals(ren.userId(), second.userId());
      }
    }
  }

  @Test
  void malformedFrame_getsBadFrameAndTheConnectionStaysOpen() throws Exception {
    try (ChatClient dan = connectRouted("dan")) {
      dan.sendRaw("{not json");
      JsonObject error = dan.await(type("error"));
      assertEquals("BAD_FRAME", error.getString("code"));
      dan.sendRaw("{\"type\":\"ping\"}");
      dan.await(type("pong"));
      JsonObject unknown = dan.request("room.explode", Json.createObjectBuilder());
      assertEquals("UNKNOWN_TYPE", unknown.getString("code"));
      assertTrue(dan.isOpen());
    }
  }

  @Test
  void unknownRoom_isRoomNotFound() throws Exception {
    try (ChatClient eve = connectRouted("eve")) {
      JsonObject join = eve.request("room.join", Json.createObjectBuilder().add("room", 987654321));
      assertEquals("error", join.getString("type"));
      assertEquals("ROOM_NOT_FOUND", join.getString("code"));
      JsonObject send =
          eve.request(
              "message.send",
              Json.createObjectBuilder()
                  .add("room", 987654321)
                  .add("kind", "text")
                  .add("body", "x"));
      assertEquals("ROOM_NOT_FOUND", send.getString("code"));
    }
  }

  @Test
  void badToken_isRefusedAtTheHandshakeWith401() throws Exception {
    String url = "ws://127.0.0.1:" + nodePort() + "/ws?access_token=not.a.token";
    assertEquals(401, handshakeStatus(url, null));
    assertEquals(401, handshakeStatus("ws://127.0.0.1:" + nodePort() + "/ws", null));
  }

  @Test
  void foreignOrigin_isRefusedAtTheHandshakeWith403() throws Exception {
    String token = gateway.signIn("fay" + suffix).getString("token");
    String url = "ws://127.0.0.1:" + nodePort() + "/ws?access_token=" + token;
    assertEquals(403, handshakeStatus(url, "http://evil.example"));
  }

  @Test
  void wrongPassword_isInvalidCredentials() throws Exception {
    gateway.signIn("gus" + suffix);
    Gateway.Reply reply =
        gateway.post(
            "/api/auth/login",
            "{\"username\":\"gus" + suffix + "\",\"password\":\"not the password\"}");
    assertEquals(401, reply.status());
    assertEquals("INVALID_CREDENTIALS", reply.object().getString("code"));
  }

  @Test
  void browserClient_isServedWithAStrictContentSecurityPolicy() throws Exception {
    var resp =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode());
    assertTrue(resp.body().contains("app.js"), "the page loads the client's module");
    String csp = resp.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
  }

  private int nodePort() {
    return URI.create(cluster.gatewayUrl()).getPort() + 1;
  }

  private static int handshakeStatus(String url, String origin) throws Exception {
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) {
      b.header("Origin", origin);
    }
    try {
      WebSocket ws =
          b.buildAsync(URI.create(url), new WebSocket.Listener() {}).get(20, TimeUnit.SECONDS);
      ws.abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }
}
