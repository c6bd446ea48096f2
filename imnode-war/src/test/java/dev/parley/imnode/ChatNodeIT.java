package dev.parley.imnode;

import static dev.parley.imnode.ChatClient.assertError;
import static dev.parley.imnode.ChatClient.fields;
import static dev.parley.imnode.ChatClient.isType;
import static dev.parley.imnode.ChatClient.type;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An IM node on a real Payara Micro, spoken to over real WebSockets: the handshake checks, every
 * frame type of protocol v1 this node supports, and the error answers. One deployment serves every
 * test; each test makes users and rooms of its own. Users sign in through the external identity
 * provider (accounts are provisioned on first connect); the gateway issuer's path is tested with
 * the ids those accounts get.
 */
@ExtendWith(ArquillianExtension.class)
class ChatNodeIT {

  /** Where arquillian.xml points the node's {@code file:} key sets. */
  private static final Path KEYS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/it-keys");

  private static final IssuerKeys GATEWAY = IssuerKeys.generate("parley-gateway");
  private static final IssuerKeys SSO = IssuerKeys.generate("https://sso.parley-it.test");

  static {
    // Before the first handshake: the node reads its key sets on first use.
    GATEWAY.publishTo(KEYS.resolve("gateway.jwks.json"));
    SSO.publishTo(KEYS.resolve("sso.jwks.json"));
  }

  /** The node's id, URL, Hazelcast cluster and allowed Origin, as arquillian.xml sets them. */
  private static final String NODE_ID = "node-it";

  private static final String NODE_URL = "ws://127.0.0.1:28081/imnode-it/ws";
  private static final String CLUSTER = "parley-it-node";
  private static final String ALLOWED_ORIGIN = "http://chat.parley-it.test";

  /** parley.imnode.room.announce-limit and .member-page as arquillian.xml sets them. */
  private static final int ANNOUNCE_LIMIT = 3;

  private static final int MEMBER_PAGE = 3;

  private static final String RUN = UUID.randomUUID().toString().substring(0, 4);
  private static final AtomicInteger NAMES = new AtomicInteger();

  @ArquillianResource URL base;

  private URI endpoint;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return WarUnderTest.assemble("imnode-it.war", "dev.parley.imnode", "imnode-war");
  }

  @BeforeEach
  void endpoint() {
    endpoint = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("ws");
  }

  // --- people ----------------------------------------------------------------------------------

  private static String newName(String prefix) {
    return prefix + "-" + RUN + "-" + NAMES.incrementAndGet();
  }

  /** A token of the external identity provider for a new subject. */
  private static String ssoToken(String username) {
    return SSO.token("sso|" + UUID.randomUUID(), username);
  }

  /** Connects a new user, signed in through the external identity provider. */
  private ChatClient connectNew(String prefix) throws Exception {
    return ChatClient.connect(endpoint, ssoToken(newName(prefix)));
  }

  private URI withToken(String token) {
    return URI.create(
        endpoint + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  // --- handshake -------------------------------------------------------------------------------

  @Test
  void handshake_withoutToken_isRefusedWith401() throws Exception {
    Handshake.Answer answer = Handshake.attempt(endpoint, Map.of());
    assertRefused(answer, 401, "UNAUTHORIZED");
    assertEquals("Bearer", answer.header("WWW-Authenticate"));
  }

  @Test
  void handshake_withMalformedToken_isRefusedWith401() throws Exception {
    assertRefused(Handshake.attempt(withToken("not-a-jwt"), Map.of()), 401, "UNAUTHORIZED");
  }

  @Test
  void handshake_withForgedToken_isRefusedWith401() throws Exception {
    // Signed by another key that claims the trusted issuer and key id.
    String forgedSso = SSO.impostor().token("sso|" + UUID.randomUUID(), newName("forger"));
    String forgedGateway = GATEWAY.impostor().token("1", "forger");
    assertRefused(Handshake.attempt(withToken(forgedSso), Map.of()), 401, "UNAUTHORIZED");
    assertRefused(Handshake.attempt(withToken(forgedGateway), Map.of()), 401, "UNAUTHORIZED");
  }

  @Test
  void handshake_withTokenOfUntrustedIssuer_isRefusedWith401() throws Exception {
    String token = IssuerKeys.generate("https://stranger.test").token("x", newName("stranger"));
    assertRefused(Handshake.attempt(withToken(token), Map.of()), 401, "UNAUTHORIZED");
  }

  /** A token of the trusted SSO issuer that expired ten minutes ago. */
  private static String expiredSsoToken() throws Exception {
    Instant past = Instant.now().minus(Duration.ofMinutes(10));
    return SSO.sign(
        SSO.claims("sso|" + UUID.randomUUID(), newName("late"))
            .issueTime(Date.from(past.minus(Duration.ofHours(1))))
            .expirationTime(Date.from(past))
            .build());
  }

  @Test
  void handshake_withExpiredToken_isRefusedWith401() throws Exception {
    String expired = expiredSsoToken();
    Handshake.Answer answer = Handshake.attempt(withToken(expired), Map.of());
    assertRefused(answer, 401, "TOKEN_EXPIRED");
    assertEquals("Bearer", answer.header("WWW-Authenticate"));
  }

  @Test
  void handshake_fromDisallowedOrigin_isRefusedWith403() throws Exception {
    String token = ssoToken(newName("evil"));
    Handshake.Answer answer =
        Handshake.attempt(withToken(token), Map.of("Origin", "http://evil.parley-it.test"));
    assertRefused(answer, 403, "ORIGIN_NOT_ALLOWED");
  }

  @Test
  void handshake_fromAllowedOriginOrWithoutOne_isUpgraded() throws Exception {
    String token = ssoToken(newName("origin"));
    try (ChatClient browser =
        ChatClient.connect(endpoint, token, Map.of("Origin", ALLOWED_ORIGIN))) {
      assertTrue(browser.isOpen());
    }
    // The account exists now, so these upgrades do not race to create it (see the disabled test).
    assertEquals(
        101, Handshake.attempt(withToken(token), Map.of("Origin", ALLOWED_ORIGIN)).status());
    assertEquals(101, Handshake.attempt(withToken(token), Map.of()).status());
  }

  @Test
  void handshake_withBearerHeader_isUpgraded() throws Exception {
    String token = ssoToken(newName("header"));
    assertEquals(
        101, Handshake.attempt(endpoint, Map.of("Authorization", "Bearer " + token)).status());
  }

  private static void assertRefused(Handshake.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer::toString);
    JsonObject body = answer.json();
    assertEquals(code, body.getString("code"), answer::toString);
    assertFalse(body.getString("message").isBlank(), answer::toString);
  }

  // --- the standalone listener ----------------------------------------------------------------

  /**
   * The same endpoint on the standalone listener (arquillian.xml), outside the servlet container.
   */
  private static final URI STANDALONE = URI.create("ws://127.0.0.1:28181/ws");

  @Test
  void standalone_withoutToken_isRefusedWith401LikeTheServletPath() throws Exception {
    Handshake.Answer answer = Handshake.attempt(STANDALONE, Map.of());
    assertRefused(answer, 401, "UNAUTHORIZED");
    assertEquals("Bearer", answer.header("WWW-Authenticate"));
    assertTrue(answer.header("Content-Type").startsWith("application/json"), answer::toString);
  }

  @Test
  void standalone_withForgedOrExpiredToken_isRefusedWith401() throws Exception {
    String forged = SSO.impostor().token("sso|" + UUID.randomUUID(), newName("forger"));
    URI withForged =
        URI.create(
            STANDALONE + "?access_token=" + URLEncoder.encode(forged, StandardCharsets.UTF_8));
    assertRefused(Handshake.attempt(withForged, Map.of()), 401, "UNAUTHORIZED");
    String expired = expiredSsoToken();
    assertRefused(
        Handshake.attempt(STANDALONE, Map.of("Authorization", "Bearer " + expired)),
        401,
        "TOKEN_EXPIRED");
  }

  @Test
  void standalone_fromDisallowedOrigin_isRefusedWith403() throws Exception {
    String token = ssoToken(newName("evil"));
    Handshake.Answer answer =
        Handshake.attempt(
            STANDALONE,
            Map.of("Origin", "http://evil.parley-it.test", "Authorization", "Bearer " + token));
    assertRefused(answer, 403, "ORIGIN_NOT_ALLOWED");
  }

  @Test
  void standalone_chatsWithTheServletPath_storedAndPushed() throws Exception {
    try (ChatClient ann = ChatClient.connect(STANDALONE, ssoToken(newName("ann")));
        ChatClient bob = connectNew("bob")) {
      assertEquals(NODE_ID, ann.welcome().getString("nodeId"));
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Standalone")));
      bob.ok("room.join", fields().add("room", roomId));
      long seq = seq(ann.ok("message.send", text(roomId, "from the standalone port")));
      JsonObject pushed = bob.awaitFrame(type("message"));
      assertEquals("from the standalone port", pushed.getString("body"));
      assertEquals(seq, pushed.getJsonNumber("seq").longValue());
      bob.ok("message.send", text(roomId, "from the servlet port"));
      assertEquals("from the servlet port", ann.awaitFrame(type("message")).getString("body"));
      JsonArray messages =
          ann.ok("history", fields().add("conversation", "room:" + roomId))
              .getJsonArray("messages");
      assertEquals(2, messages.size(), messages::toString);
    }
  }

  @Test
  void standalone_framesAfterTheUpgradeBypassTheHttpCodec_largeSplitAndOversized()
      throws Exception {
    // After the handshake the standalone listener hands bytes to Tyrus past Grizzly's HTTP codec
    // (UpgradedShortcut): frames that span many reads, many frames in one read, and an oversized
    // frame must behave as on the servlet path.
    try (ChatClient ann = ChatClient.connect(STANDALONE, ssoToken(newName("ann")))) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Big frames")));
      String body = "ü".repeat(3_999);
      JsonObject ack = ann.ok("message.send", text(roomId, body).add("pad", "p".repeat(50_000)));
      assertEquals(1, seq(ack));
      for (int i = 0; i < 20; i++) {
        ann.send("{\"type\":\"ping\"}");
      }
      for (int i = 0; i < 20; i++) {
        ann.awaitFrame(type("pong"));
      }
      JsonArray messages =
          ann.ok("history", fields().add("conversation", "room:" + roomId))
              .getJsonArray("messages");
      assertEquals(body, messages.getJsonObject(0).getString("body"));
      ann.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertEquals(1009, ann.awaitClose(ChatClient.WAIT));
    }
  }

  @Test
  void standalone_answersReadinessForTheGateway() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:28181/health/ready"))
                .timeout(ChatClient.WAIT)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response::body);
  }

  // --- identity --------------------------------------------------------------------------------

  @Test
  void connect_withSsoToken_isWelcomedAsProvisionedUser() throws Exception {
    String name = newName("ann");
    String subject = "sso|" + UUID.randomUUID();
    long id;
    try (ChatClient ann = ChatClient.connect(endpoint, SSO.token(subject, name))) {
      JsonObject welcome = ann.welcome();
      assertEquals(NODE_ID, welcome.getString("nodeId"));
      assertEquals(60, welcome.getInt("heartbeat"));
      JsonObject user = welcome.getJsonObject("user");
      id = user.getJsonNumber("id").longValue();
      assertTrue(id > 0, user::toString);
      assertEquals(name, user.getString("username"));
      assertEquals(name, user.getString("nickname"));
    }
    // The same subject is the same account next time.
    try (ChatClient again = ChatClient.connect(endpoint, SSO.token(subject, name))) {
      assertEquals(id, again.userId());
    }
  }

  @Test
  void connect_ssoSubjectsWithTheSameName_getDistinctAccounts() throws Exception {
    String name = newName("twin");
    try (ChatClient first = ChatClient.connect(endpoint, ssoToken(name));
        ChatClient second = ChatClient.connect(endpoint, ssoToken(name))) {
      assertNotEquals(first.userId(), second.userId());
      assertEquals(name, first.username());
      assertEquals(name + "-2", second.username());
      assertEquals(name, second.user().getString("nickname"));
    }
  }

  @Test
  void connect_manyFirstConnectionsOfOneSsoUserAtOnce_areAllWelcomedAsOneAccount()
      throws Exception {
    String token = ssoToken(newName("rush"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<ChatClient>> rush = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        rush.add(pool.submit(() -> ChatClient.connect(endpoint, token)));
      }
      Set<Long> ids = new HashSet<>();
      for (Future<ChatClient> connecting : rush) {
        ids.add(connecting.get(30, TimeUnit.SECONDS).userId());
      }
      assertEquals(1, ids.size(), ids::toString);
    } finally {
      for (Future<ChatClient> connecting : rush) {
        if (connecting.isDone() && !connecting.isCancelled()) {
          try {
            connecting.get().close();
          } catch (ExecutionException e) {
            // That connection failed; the assertion above reports it.
          }
        }
      }
      pool.shutdownNow();
    }
  }

  @Test
  void connect_withGatewayTokenOfKnownUser_isWelcomedAsThatUser() throws Exception {
    JsonObject known;
    try (ChatClient viaSso = connectNew("gw")) {
      known = viaSso.user();
    }
    String token = GATEWAY.token(known.get("id").toString(), known.getString("username"));
    try (ChatClient viaGateway = ChatClient.connect(endpoint, token)) {
      assertEquals(known, viaGateway.user());
    }
  }

  @Test
  void connect_withGatewayTokenOfUnknownUser_isClosedWith4001() throws Exception {
    try (ChatClient ghost = ChatClient.open(endpoint, GATEWAY.token("987654321", "ghost"))) {
      assertEquals(4001, ghost.awaitClose(ChatClient.WAIT));
      assertFalse(ghost.hasReceived(type("welcome")));
    }
  }

  @Test
  void connect_withTokenExpiringSoon_isClosedWith4001AfterExpiry() throws Exception {
    Instant soon = Instant.now().plusSeconds(2);
    String token =
        SSO.sign(
            SSO.claims("sso|" + UUID.randomUUID(), newName("brief"))
                .expirationTime(Date.from(soon))
                .build());
    try (ChatClient brief = ChatClient.connect(endpoint, token)) {
      // The node sweeps expired sessions every ten seconds.
      assertEquals(4001, brief.awaitClose(Duration.ofSeconds(25)));
    }
  }

  @Test
  void authRenew_keepsTheSessionOpenPastTheFirstTokensExpiry() throws Exception {
    String subject = "sso|" + UUID.randomUUID();
    String name = newName("renewer");
    Instant soon = Instant.now().plusSeconds(3);
    String brief = SSO.sign(SSO.claims(subject, name).expirationTime(Date.from(soon)).build());
    Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    String renewed = SSO.sign(SSO.claims(subject, name).expirationTime(Date.from(later)).build());
    String briefToo =
        SSO.sign(
            SSO.claims("sso|" + UUID.randomUUID(), newName("lapsed"))
                .expirationTime(Date.from(soon))
                .build());
    try (ChatClient kept = ChatClient.connect(endpoint, brief);
        ChatClient left = ChatClient.connect(endpoint, briefToo)) {
      JsonObject ack = kept.ok("auth.renew", fields().add("token", renewed));
      assertEquals(later, Instant.parse(ack.getString("expiresAt")));
      // The connection that did not renew is closed by the sweep after the first expiry; by
      // then the renewed one has been through that sweep too.
      assertEquals(4001, left.awaitClose(Duration.ofSeconds(25)));
      assertTrue(kept.isOpen(), "the renewed session is still open");
      kept.send("{\"type\":\"ping\"}");
      kept.awaitFrame(type("pong"));
    }
  }

  @Test
  void authRenew_refusesBadOrForeignTokensAndKeepsTheConnection() throws Exception {
    String subject = "sso|" + UUID.randomUUID();
    String name = newName("holder");
    String expired =
        SSO.sign(
            SSO.claims(subject, name)
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(60)))
                .build());
    String otherSubject = "sso|" + UUID.randomUUID();
    try (ChatClient holder = ChatClient.connect(endpoint, SSO.token(subject, name));
        ChatClient other =
            ChatClient.connect(endpoint, SSO.token(otherSubject, newName("other")))) {
      String othersToken = SSO.token(otherSubject, other.username());
      Instant before = Instant.now();
      assertAll(
          () ->
              holder.refused("auth.renew", fields().add("token", ssoToken("new")), "UNAUTHORIZED"),
          () -> holder.refused("auth.renew", fields().add("token", othersToken), "UNAUTHORIZED"),
          () -> holder.refused("auth.renew", fields().add("token", expired), "TOKEN_EXPIRED"),
          () ->
              holder.refused(
                  "auth.renew",
                  fields().add("token", SSO.impostor().token(subject, name)),
                  "UNAUTHORIZED"),
          () -> holder.refused("auth.renew", fields().add("token", "x.y.z"), "UNAUTHORIZED"),
          () -> holder.refused("auth.renew", fields(), "INVALID_FIELD"));
      assertTrue(holder.isOpen());
      // The same user's own fresh token is accepted.
      JsonObject ack = holder.ok("auth.renew", fields().add("token", SSO.token(subject, name)));
      assertTrue(Instant.parse(ack.getString("expiresAt")).isAfter(before));
    }
  }

  // --- frames ----------------------------------------------------------------------------------

  @Test
  void ping_isAnsweredWithPong() throws Exception {
    try (ChatClient ann = connectNew("ping")) {
      ann.send("{\"type\":\"ping\"}");
      assertEquals(
          Json.createObjectBuilder().add("type", "pong").build(), ann.awaitFrame(type("pong")));
    }
  }

  @Test
  void roomCreate_acksRoomAndTellsOtherOnlineUsers() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      JsonObject ack = ann.ok("room.create", fields().add("name", "  Lobby  "));
      JsonObject room = ack.getJsonObject("room");
      long roomId = room.getJsonNumber("id").longValue();
      assertTrue(roomId > 0, ack::toString);
      assertEquals("Lobby", room.getString("name"));

      assertEquals(room, bob.awaitFrame(roomCreated(roomId)).getJsonObject("room"));

      // The creator is its first member...
      JsonArray members =
          ann.ok("room.members", fields().add("room", roomId)).getJsonArray("members");
      assertEquals(1, members.size(), members::toString);
      assertEquals(ann.userId(), members.getJsonObject(0).getJsonNumber("id").longValue());
      // ...and hears of the room by the ack only: bob's room reaches ann after ann's would have.
      long bobsRoom = roomId(bob.ok("room.create", fields().add("name", "Barrier")));
      ann.awaitFrame(roomCreated(bobsRoom));
      assertFalse(ann.hasReceived(roomCreated(roomId)));
    }
  }

  @Test
  void roomJoin_acksRoomAndMembersAndTellsMembers() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      JsonObject room =
          ann.ok("room.create", fields().add("name", "Join me")).getJsonObject("room");
      long roomId = room.getJsonNumber("id").longValue();

      JsonObject ack = bob.ok("room.join", fields().add("room", roomId));
      assertEquals(room, ack.getJsonObject("room"));
      JsonArray members = ack.getJsonArray("members");
      assertEquals(2, members.size(), members::toString);
      // A room that fits in one page: the v1 answer plus the count, no cursor.
      assertEquals(Set.of("type", "id", "room", "members", "memberCount"), ack.keySet());
      assertEquals(2, ack.getInt("memberCount"));
      for (JsonObject member : members.getValuesAs(JsonObject.class)) {
        assertTrue(member.getBoolean("online"), member::toString);
        assertTrue(List.of(ann.username(), bob.username()).contains(member.getString("username")));
      }

      JsonObject joined = ann.awaitFrame(type("member.joined"));
      assertEquals(room, joined.getJsonObject("room"));
      assertEquals(bob.user(), joined.getJsonObject("user"));
    }
  }

  @Test
  void roomJoin_isIdempotent() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Twice")));
      bob.ok("room.join", fields().add("room", roomId));
      ann.awaitFrame(type("member.joined"));

      JsonObject again = bob.ok("room.join", fields().add("room", roomId));
      assertEquals(2, again.getJsonArray("members").size(), again::toString);
      // Nothing is announced twice: bob's message reaches ann after a second notice would have.
      bob.ok("message.send", text(roomId, "after the second join"));
      ann.awaitFrame(type("message"));
      assertFalse(ann.hasReceived(type("member.joined")));
    }
  }

  @Test
  void roomLeave_acksEmptyAndTellsMembers() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      JsonObject room = ann.ok("room.create", fields().add("name", "Exit")).getJsonObject("room");
      long roomId = room.getJsonNumber("id").longValue();
      bob.ok("room.join", fields().add("room", roomId));
      ann.awaitFrame(type("member.joined"));

      JsonObject ack = bob.ok("room.leave", fields().add("room", roomId));
      assertEquals(
          Json.createObjectBuilder().add("type", "ack").add("id", ack.getString("id")).build(),
          ack);
      JsonObject left = ann.awaitFrame(type("member.left"));
      assertEquals(room, left.getJsonObject("room"));
      assertEquals(bob.user(), left.getJsonObject("user"));

      // Bob is out: he may not write, and no longer hears the room.
      bob.refused("message.send", text(roomId, "still here?"), "NOT_A_MEMBER");
      ann.ok("message.send", text(roomId, "bye bob"));
      ann.ok("message.send", direct(bob.userId(), "barrier"));
      bob.awaitFrame(message(dmBetween(ann, bob)));
      assertFalse(bob.hasReceived(message("room:" + roomId)));
      assertEquals(
          1, ann.ok("room.members", fields().add("room", roomId)).getJsonArray("members").size());

      bob.ok("room.leave", fields().add("room", roomId)); // leaving twice is fine
    }
  }

  @Test
  void roomList_showsEveryRoomWithMemberCountAndJoined() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long annsRoom = roomId(ann.ok("room.create", fields().add("name", "Ann's")));
      long bobsRoom = roomId(bob.ok("room.create", fields().add("name", "Bob's")));

      JsonArray rooms = ann.ok("room.list", fields()).getJsonArray("rooms");
      assertEquals(room(annsRoom, "Ann's", 1, true), find(rooms, annsRoom));
      assertEquals(room(bobsRoom, "Bob's", 1, false), find(rooms, bobsRoom));

      ann.ok("room.join", fields().add("room", bobsRoom));
      rooms = ann.ok("room.list", fields()).getJsonArray("rooms");
      assertEquals(room(bobsRoom, "Bob's", 2, true), find(rooms, bobsRoom));
      rooms = bob.ok("room.list", fields()).getJsonArray("rooms");
      assertEquals(room(annsRoom, "Ann's", 1, false), find(rooms, annsRoom));
    }
  }

  @Test
  void roomMembers_showWhoIsOnline() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Presence")));
      long bobId;
      String bobName;
      try (ChatClient bob = connectNew("bob")) {
        bobId = bob.userId();
        bobName = bob.username();
        bob.ok("room.join", fields().add("room", roomId));
        JsonObject bobListed = member(ann.ok("room.members", fields().add("room", roomId)), bobId);
        assertEquals(bobName, bobListed.getString("username"));
        assertEquals(bobName, bobListed.getString("nickname"));
        assertTrue(bobListed.getBoolean("online"));
        assertTrue(
            member(ann.ok("room.members", fields().add("room", roomId)), ann.userId())
                .getBoolean("online"));
      }
      // Bob has disconnected: the node forgets his connection as it closes.
      long deadline = System.nanoTime() + ChatClient.WAIT.toNanos();
      boolean online = true;
      while (online && System.nanoTime() < deadline) {
        online =
            member(ann.ok("room.members", fields().add("room", roomId)), bobId)
                .getBoolean("online");
      }
      assertFalse(online, "bob is still listed online after disconnecting");
    }
  }

  @Test
  void messageSend_toRoom_acksSenderAndPushesToOtherMembersOnly() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob");
        ChatClient cat = connectNew("cat")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Chat")));
      bob.ok("room.join", fields().add("room", roomId));
      String conversation = "room:" + roomId;

      String clientId = ann.nextId();
      JsonObject ack = ann.requestWithId(clientId, "message.send", text(roomId, "hello 👋"));
      assertEquals("ack", ack.getString("type"), ack::toString);
      assertEquals(conversation, ack.getString("conversation"));
      assertEquals(1, ack.getJsonNumber("seq").longValue());
      assertTrue(ack.getJsonNumber("messageId").longValue() > 0);
      Instant sentAt = Instant.parse(ack.getString("sentAt"));
      assertTrue(Duration.between(sentAt, Instant.now()).abs().toMinutes() < 1, ack::toString);

      JsonObject pushed = bob.awaitFrame(message(conversation));
      assertEquals(conversation, pushed.getString("conversation"));
      assertEquals(1, pushed.getJsonNumber("seq").longValue());
      assertEquals(ack.get("messageId"), pushed.get("messageId"));
      assertEquals(ann.user(), pushed.getJsonObject("from"));
      assertEquals("text", pushed.getString("kind"));
      assertEquals("hello 👋", pushed.getString("body"));
      assertEquals(ack.getString("sentAt"), pushed.getString("sentAt"));
      assertEquals(clientId, pushed.getString("clientId"));

      // Bob's answer reaches ann after her own message would have: she got the ack only.
      bob.ok("message.send", text(roomId, "hi ann"));
      assertEquals(2, ann.awaitFrame(message(conversation)).getJsonNumber("seq").longValue());
      assertFalse(ann.hasReceived(message(conversation)));
      // Cat is not a member and hears nothing of the room.
      bob.ok("message.send", direct(cat.userId(), "barrier"));
      cat.awaitFrame(message(dmBetween(bob, cat)));
      assertFalse(cat.hasReceived(message(conversation)));
    }
  }

  @Test
  void messageSend_retriedWithSameId_returnsSameAckAndStoresNothing() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Retry")));
      bob.ok("room.join", fields().add("room", roomId));
      String conversation = "room:" + roomId;

      String id = ann.nextId();
      JsonObject first = ann.requestWithId(id, "message.send", text(roomId, "once"));
      JsonObject retry = ann.requestWithId(id, "message.send", text(roomId, "once"));
      assertEquals("ack", first.getString("type"), first::toString);
      assertEquals(first, retry);
      assertEquals(1, bob.awaitFrame(message(conversation)).getJsonNumber("seq").longValue());

      // The retry is announced again with the same seq (its first push may have died with a
      // node); receivers de-duplicate by seq.
      assertEquals(1, bob.awaitFrame(message(conversation)).getJsonNumber("seq").longValue());

      JsonObject next = ann.ok("message.send", text(roomId, "twice"));
      assertEquals(2, next.getJsonNumber("seq").longValue(), "the retry took no seq");
      assertEquals(2, bob.awaitFrame(message(conversation)).getJsonNumber("seq").longValue());
      assertFalse(bob.hasReceived(message(conversation)), "one push per send and per retry");

      JsonArray stored = history(ann, conversation, fields()).getJsonArray("messages");
      assertEquals(List.of("once", "twice"), bodies(stored));
    }
  }

  @Test
  void messageSend_burstsFromSeveralClients_storeEachOnce_gapFree_inEachSendersOrder()
      throws Exception {
    int perClient = 30;
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob");
        ChatClient cat = connectNew("cat")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Burst")));
      bob.ok("room.join", fields().add("room", roomId));
      cat.ok("room.join", fields().add("room", roomId));
      JsonObject stored = ann.ok("message.send", text(roomId, "ann 0"));
      String storedId = stored.getString("id");

      // Sent back to back without waiting for acks, so that the node stores them in batches; ann's
      // burst starts with a retry of a stored message, which must fail no one else's batch.
      Map<ChatClient, List<String>> ids = new LinkedHashMap<>();
      List<Thread> senders = new ArrayList<>();
      for (ChatClient c : List.of(ann, bob, cat)) {
        List<String> mine = new ArrayList<>();
        for (int i = 1; i <= perClient; i++) {
          mine.add(c == ann && i == 1 ? storedId : c.nextId());
        }
        ids.put(c, mine);
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < perClient; i++) {
                    String body = c.username() + " " + (i + 1);
                    c.send(
                        text(roomId, i == 0 && c == ann ? "ann 0" : body)
                            .add("type", "message.send")
                            .add("id", mine.get(i))
                            .build()
                            .toString());
                  }
                });
        senders.add(t);
        t.start();
      }
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }

      Set<Long> seqs = new HashSet<>();
      for (Map.Entry<ChatClient, List<String>> e : ids.entrySet()) {
        long previous = 0;
        for (String id : e.getValue()) {
          JsonObject answer =
              e.getKey()
                  .awaitFrame(
                      f ->
                          id.equals(f.getString("id", null))
                              && (isType(f, "ack") || isType(f, "error")));
          assertEquals("ack", answer.getString("type"), answer::toString);
          if (id.equals(storedId)) {
            assertEquals(stored, answer, "a retry gets the stored message's ack");
            continue;
          }
          long seq = seq(answer);
          assertTrue(seq > previous, "a sender's messages keep its order: " + answer);
          previous = seq;
          assertTrue(seqs.add(seq), "seq given twice: " + seq);
        }
      }
      long total = 1 + 3L * perClient - 1;
      assertEquals(
          LongStream.rangeClosed(2, total).boxed().collect(Collectors.toSet()),
          seqs,
          "every new message got the next seq, none was skipped");
      JsonArray messages =
          history(cat, "room:" + roomId, fields().add("limit", 100)).getJsonArray("messages");
      assertEquals(total, messages.size());
      assertEquals(1, bodies(messages).stream().filter("ann 0"::equals).count());
    }
  }

  @Test
  void messageSend_numbersEachConversationOneTwoThree() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long first = roomId(ann.ok("room.create", fields().add("name", "Seq one")));
      long second = roomId(ann.ok("room.create", fields().add("name", "Seq two")));
      bob.ok("room.join", fields().add("room", first));

      assertEquals(1, seq(ann.ok("message.send", text(first, "a"))));
      assertEquals(2, seq(bob.ok("message.send", text(first, "b"))));
      assertEquals(3, seq(ann.ok("message.send", text(first, "c"))));
      assertEquals(1, seq(ann.ok("message.send", text(second, "own sequence"))));
      assertEquals(1, seq(ann.ok("message.send", direct(bob.userId(), "dm one"))));
      assertEquals(2, seq(bob.ok("message.send", direct(ann.userId(), "dm two"))));
      assertEquals(4, seq(bob.ok("message.send", text(first, "d"))));
    }
  }

  @Test
  void messageSend_ofEveryTextKind_isAccepted() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Kinds")));
      for (String kind : List.of("text", "emoji", "gif")) {
        ann.ok(
            "message.send", fields().add("room", roomId).add("kind", kind).add("body", kind + "!"));
      }
      JsonArray stored = history(ann, "room:" + roomId, fields()).getJsonArray("messages");
      assertEquals(
          List.of("text", "emoji", "gif"),
          stored.getValuesAs(JsonObject.class).stream().map(m -> m.getString("kind")).toList());
    }
  }

  @Test
  void directMessage_reachesTheOtherUserInOneConversation() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      String conversation = dmBetween(ann, bob);
      JsonObject ack = ann.ok("message.send", direct(bob.userId(), "psst"));
      assertEquals(conversation, ack.getString("conversation"));

      JsonObject pushed = bob.awaitFrame(message(conversation));
      assertEquals("psst", pushed.getString("body"));
      assertEquals(ann.user(), pushed.getJsonObject("from"));

      JsonObject reply = bob.ok("message.send", direct(ann.userId(), "what?"));
      assertEquals(conversation, reply.getString("conversation"));
      assertEquals("what?", ann.awaitFrame(message(conversation)).getString("body"));
      assertEquals(
          List.of("psst", "what?"),
          bodies(history(bob, conversation, fields()).getJsonArray("messages")));
    }
  }

  @Test
  void messageSend_reachesTheSendersOtherConnections() throws Exception {
    String subject = "sso|" + UUID.randomUUID();
    String name = newName("multi");
    try (ChatClient phone = ChatClient.connect(endpoint, SSO.token(subject, name));
        ChatClient laptop = ChatClient.connect(endpoint, SSO.token(subject, name));
        ChatClient bob = connectNew("bob")) {
      assertEquals(phone.userId(), laptop.userId());
      String conversation = dmBetween(phone, bob);

      JsonObject ack = phone.ok("message.send", direct(bob.userId(), "from my phone"));
      JsonObject onLaptop = laptop.awaitFrame(message(conversation));
      assertEquals(ack.get("messageId"), onLaptop.get("messageId"));
      bob.awaitFrame(message(conversation));

      bob.ok("message.send", direct(phone.userId(), "got it"));
      assertEquals("got it", phone.awaitFrame(message(conversation)).getString("body"));
      assertFalse(phone.hasReceived(message(conversation)), "the sending connection got a push");
    }
  }

  @Test
  void history_pagesAscendingBySeq() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "History")));
      String conversation = "room:" + roomId;
      JsonObject firstAck = null;
      for (String body : List.of("one", "two", "three")) {
        JsonObject ack = ann.ok("message.send", text(roomId, body));
        firstAck = firstAck == null ? ack : firstAck;
      }

      JsonObject all = history(ann, conversation, fields());
      assertEquals(List.of("one", "two", "three"), bodies(all.getJsonArray("messages")));
      assertFalse(all.getBoolean("more"));
      JsonObject first = all.getJsonArray("messages").getJsonObject(0);
      assertEquals(conversation, first.getString("conversation"));
      assertEquals(1, first.getJsonNumber("seq").longValue());
      assertEquals(firstAck.get("messageId"), first.get("messageId"));
      assertEquals(ann.user(), first.getJsonObject("from"));
      assertEquals("text", first.getString("kind"));
      assertEquals(firstAck.getString("sentAt"), first.getString("sentAt"));

      JsonObject latest = history(ann, conversation, fields().add("limit", 2));
      assertEquals(List.of("two", "three"), bodies(latest.getJsonArray("messages")));
      assertTrue(latest.getBoolean("more"));
      JsonObject older = history(ann, conversation, fields().add("limit", 2).add("before", 2));
      assertEquals(List.of("one"), bodies(older.getJsonArray("messages")));
      assertFalse(older.getBoolean("more"));
    }
  }

  @Test
  void history_ofConversationNotJoined_isRefused() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Private")));
      bob.refused("history", fields().add("conversation", "room:" + roomId), "NOT_A_MEMBER");
      bob.refused("history", fields().add("conversation", "room:999999999"), "ROOM_NOT_FOUND");
      bob.refused("history", fields().add("conversation", "room:abc"), "INVALID_FIELD");
      bob.refused(
          "history",
          fields().add("conversation", "dm:" + ann.userId() + ":999999999"),
          "NOT_A_MEMBER");
    }
  }

  @Test
  void typing_isPassedToOtherMembersWithoutAnswer() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Typing")));
      bob.ok("room.join", fields().add("room", roomId));
      ann.send(
          fields().add("type", "typing").add("conversation", "room:" + roomId).build().toString());
      JsonObject typing = bob.awaitFrame(type("typing"));
      assertEquals("room:" + roomId, typing.getString("conversation"));
      assertEquals(ann.user(), typing.getJsonObject("user"));
    }
  }

  // --- large rooms ------------------------------------------------------------------------------

  @Test
  void roomMembers_pageThroughEveryMemberOnceWithCountAndNext() throws Exception {
    int size = 2 * MEMBER_PAGE + 1;
    List<ChatClient> people = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        people.add(connectNew("page"));
      }
      ChatClient ann = people.get(0);
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Pages")));
      JsonObject lastJoin = null;
      for (ChatClient member : people.subList(1, size)) {
        lastJoin = member.ok("room.join", fields().add("room", roomId));
      }
      Set<Long> everyone = new HashSet<>();
      people.forEach(p -> everyone.add(p.userId()));

      // The join ack carries the first page, the count and the cursor.
      assertEquals(MEMBER_PAGE, lastJoin.getJsonArray("members").size(), lastJoin::toString);
      assertEquals(size, lastJoin.getInt("memberCount"));
      assertTrue(lastJoin.containsKey("next"), lastJoin::toString);

      for (int limit : new int[] {MEMBER_PAGE, 2, 1}) {
        List<Long> seen = new ArrayList<>();
        JsonObjectBuilder request = fields().add("room", roomId).add("limit", limit);
        int pages = 0;
        while (true) {
          JsonObject page = ann.ok("room.members", request);
          pages++;
          assertEquals(size, page.getInt("memberCount"), page::toString);
          JsonArray members = page.getJsonArray("members");
          assertTrue(members.size() <= limit, page::toString);
          members.getValuesAs(JsonObject.class).stream()
              .map(m -> m.getJsonNumber("id").longValue())
              .forEach(seen::add);
          if (!page.containsKey("next")) {
            break;
          }
          assertEquals(limit, members.size(), "only the last page is short: " + page);
          long next = page.getJsonNumber("next").longValue();
          assertEquals(seen.get(seen.size() - 1), next, page::toString);
          request = fields().add("room", roomId).add("limit", limit).add("after", next);
        }
        assertEquals(everyone, new HashSet<>(seen), "limit " + limit);
        assertEquals(size, seen.size(), "each member exactly once with limit " + limit);
        assertEquals(seen.stream().sorted().toList(), seen, "in user id order");
        assertEquals((size + limit - 1) / limit, pages, "limit " + limit);
      }
      // Without a limit, the page is the node's page size.
      JsonObject first = ann.ok("room.members", fields().add("room", roomId));
      assertEquals(MEMBER_PAGE, first.getJsonArray("members").size());
      assertTrue(first.getJsonArray("members").getJsonObject(0).getBoolean("online"));
      // The directory counts every member too.
      assertEquals(
          size,
          find(ann.ok("room.list", fields()).getJsonArray("rooms"), roomId).getInt("memberCount"));
    } finally {
      people.forEach(ChatClient::close);
    }
  }

  @Test
  void roomMembers_withAnInvalidPage_isInvalidFieldAndTheConnectionStaysOpen() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Bad pages")));
      List<JsonObjectBuilder> bad =
          List.of(
              fields().add("room", roomId).add("limit", 0),
              fields().add("room", roomId).add("limit", -2),
              fields().add("room", roomId).add("limit", MEMBER_PAGE + 1),
              fields().add("room", roomId).add("limit", "3"),
              fields().add("room", roomId).add("limit", 1.5),
              fields().add("room", roomId).add("after", "abc"),
              fields().add("room", roomId).add("after", -1),
              fields().add("room", roomId).add("after", 0),
              fields().add("room", roomId).add("after", 2.5));
      for (JsonObjectBuilder page : bad) {
        JsonObject error = ann.refused("room.members", page, "INVALID_FIELD");
        assertTrue(
            error.getString("message").contains("limit")
                || error.getString("message").contains("after"),
            error::toString);
      }
      assertTrue(ann.isOpen());
      JsonObject ok = ann.ok("room.members", fields().add("room", roomId).add("limit", 1));
      assertEquals(1, ok.getInt("memberCount"));
      assertFalse(ok.containsKey("next"), ok::toString);
      // A cursor past the last member is an empty last page.
      JsonObject past = ann.ok("room.members", fields().add("room", roomId).add("after", 1L << 50));
      assertEquals(0, past.getJsonArray("members").size());
      assertEquals(1, past.getInt("memberCount"));
    }
  }

  @Test
  void roomJoinAndLeave_aboveTheAnnounceLimit_areToldOnlyToTheUsersOwnConnections()
      throws Exception {
    String subject = "sso|" + UUID.randomUUID();
    String danName = newName("dan");
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob");
        ChatClient cat = connectNew("cat");
        ChatClient phone = ChatClient.connect(endpoint, SSO.token(subject, danName));
        ChatClient laptop = ChatClient.connect(endpoint, SSO.token(subject, danName))) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Crowd")));
      String conversation = "room:" + roomId;
      // Up to the limit, the room hears of every join as before.
      bob.ok("room.join", fields().add("room", roomId));
      ann.awaitFrame(joined(roomId, bob.userId()));
      cat.ok("room.join", fields().add("room", roomId));
      ann.awaitFrame(joined(roomId, cat.userId()));
      bob.awaitFrame(joined(roomId, cat.userId()));

      // Dan makes it ANNOUNCE_LIMIT + 1: only his other connection hears of it...
      JsonObject ack = phone.ok("room.join", fields().add("room", roomId));
      assertEquals(ANNOUNCE_LIMIT + 1, ack.getInt("memberCount"));
      JsonObject onLaptop = laptop.awaitFrame(joined(roomId, phone.userId()));
      assertEquals(phone.user(), onLaptop.getJsonObject("user"));
      assertEquals("Crowd", onLaptop.getJsonObject("room").getString("name"));
      // ...and it follows the room, as the phone does.
      ann.ok("message.send", text(roomId, "welcome, crowd"));
      laptop.awaitFrame(message(conversation));
      phone.awaitFrame(message(conversation));
      bob.awaitFrame(message(conversation));
      cat.awaitFrame(message(conversation));
      // The members heard nothing: the message came after the notice would have.
      assertFalse(bob.hasReceived(joined(roomId, phone.userId())));
      assertFalse(cat.hasReceived(joined(roomId, phone.userId())));
      assertFalse(ann.hasReceived(joined(roomId, phone.userId())));

      // Leaving (the room still counts him): his laptop hears of it and stops following.
      phone.ok("room.leave", fields().add("room", roomId));
      JsonObject leftOnLaptop =
          laptop.awaitFrame(f -> isType(f, "member.left") && userIs(f, phone.userId()));
      assertEquals(roomId, leftOnLaptop.getJsonObject("room").getJsonNumber("id").longValue());
      ann.ok("message.send", text(roomId, "after dan left"));
      bob.awaitFrame(message(conversation));
      ann.ok("message.send", direct(phone.userId(), "barrier"));
      laptop.awaitFrame(message(dmBetween(ann, phone)));
      assertFalse(laptop.hasReceived(message(conversation)), "the laptop still follows the room");
      assertFalse(bob.hasReceived(type("member.left")));
      assertFalse(ann.hasReceived(type("member.left")));

      // Back at the limit, the room hears of leaves again.
      cat.ok("room.leave", fields().add("room", roomId));
      JsonObject catLeft = bob.awaitFrame(type("member.left"));
      assertEquals(cat.user(), catLeft.getJsonObject("user"));
    }
  }

  @Test
  void presence_goesThroughSmallRoomsButNotBetweenUsersWhoShareOnlyALargeOne() throws Exception {
    String bobToken = ssoToken(newName("bob"));
    String eveToken = ssoToken(newName("eve"));
    try (ChatClient ann = connectNew("ann");
        ChatClient cat = connectNew("cat");
        ChatClient dan = connectNew("dan")) {
      long large = roomId(ann.ok("room.create", fields().add("name", "Stadium")));
      long small = roomId(ann.ok("room.create", fields().add("name", "Booth")));
      long bobId;
      long eveId;
      try (ChatClient bob = ChatClient.connect(endpoint, bobToken);
          ChatClient eve = ChatClient.connect(endpoint, eveToken)) {
        bobId = bob.userId();
        eveId = eve.userId();
        for (ChatClient member : List.of(bob, cat, dan)) {
          member.ok("room.join", fields().add("room", large));
        }
        eve.ok("room.join", fields().add("room", small));
        assertEquals(
            ANNOUNCE_LIMIT + 1,
            ann.ok("room.members", fields().add("room", large)).getInt("memberCount"));
        // Bob leaves first, eve second: eve's notice comes after bob's would have.
        bob.close();
        eve.close();
        ann.awaitFrame(presence(eveId, false));
        assertFalse(ann.hasReceived(presence(bobId, false)), "presence crossed a large room");
      }
      try (ChatClient bob = ChatClient.connect(endpoint, bobToken);
          ChatClient eve = ChatClient.connect(endpoint, eveToken)) {
        ann.awaitFrame(presence(eveId, true));
        assertFalse(ann.hasReceived(presence(bobId, true)), "presence crossed a large room");
        // Bob's roommates in the large room hear nothing either; ann's small room still works.
        ann.ok("message.send", text(large, "barrier"));
        cat.awaitFrame(message("room:" + large));
        dan.awaitFrame(message("room:" + large));
        assertFalse(cat.hasReceived(type("presence")));
        assertFalse(dan.hasReceived(type("presence")));
        // The member list still tells who is online: bob is the first member after bobId - 1.
        JsonObject page =
            ann.ok(
                "room.members",
                fields().add("room", large).add("after", bobId - 1).add("limit", 1));
        assertEquals(
            bobId, page.getJsonArray("members").getJsonObject(0).getJsonNumber("id").longValue());
        assertTrue(page.getJsonArray("members").getJsonObject(0).getBoolean("online"));
      }
    }
  }

  /**
   * The node runs with a grace period of an hour (arquillian.xml): a connection that drops leaves
   * its user online for the whole test, and only a sign-out (close 4000) ends it.
   */
  @Test
  void presence_aDropAndAReconnectWithinTheGrace_showNoFlap_andASignOutEndsIt() throws Exception {
    String bobToken = ssoToken(newName("bob"));
    try (ChatClient ann = connectNew("ann")) {
      ChatClient bob = ChatClient.connect(endpoint, bobToken);
      long bobId = bob.userId();
      ann.ok("message.send", direct(bobId, "hi bob"));
      bob.awaitFrame(message(dmBetween(ann, bob)));
      long taken = departuresTaken();
      bob.drop();
      // The node has taken the drop (waiting or settled) before bob comes back.
      long deadline = System.nanoTime() + ChatClient.WAIT.toNanos();
      while (departuresTaken() <= taken) {
        assertTrue(System.nanoTime() < deadline, "the node did not see the dropped connection");
      }
      try (ChatClient back = ChatClient.connect(endpoint, bobToken)) {
        back.ok("message.send", direct(ann.userId(), "barrier"));
        ann.awaitFrame(message(dmBetween(ann, back)));
        assertFalse(ann.hasReceived(presence(bobId, false)), "a drop was announced offline");
        assertFalse(ann.hasReceived(presence(bobId, true)), "a reconnect was announced online");
      }
      // Signed out: offline now, the dropped connection's grace ended with it.
      ann.awaitFrame(presence(bobId, false));
    }
  }

  /** Closes the node has taken out of presence or holds in their grace period. */
  private static long departuresTaken() throws Exception {
    return nodeCount("departuresWaiting") + nodeCount("departuresSettled");
  }

  /** A counter of the node's readiness check data, from MicroProfile Health. */
  private static long nodeCount(String name) throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:28081/health/ready"))
                    .timeout(ChatClient.WAIT)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return Json.createReader(new StringReader(response.body()))
        .readObject()
        .getJsonArray("checks")
        .getValuesAs(JsonObject.class)
        .stream()
        .filter(check -> "parley-node".equals(check.getString("name")))
        .findFirst()
        .map(check -> check.getJsonObject("data").get(name))
        .map(value -> Long.parseLong(value.toString().replace("\"", "")))
        .orElseThrow(() -> new AssertionError("no parley-node check in " + response.body()));
  }

  @Test
  void presence_reachesDirectConversationPartnersAndSmallRoommatesWithOneLookup() throws Exception {
    String bobToken = ssoToken(newName("bob"));
    try (ChatClient ann = connectNew("ann");
        ChatClient cat = connectNew("cat");
        ChatClient dan = connectNew("dan")) {
      long bobId;
      try (ChatClient bob = ChatClient.connect(endpoint, bobToken)) {
        bobId = bob.userId();
        // Ann only ever wrote to bob; cat shares a small room with him; dan shares nothing.
        ann.ok("message.send", direct(bobId, "hi bob"));
        bob.awaitFrame(message(dmBetween(ann, bob)));
        long booth = roomId(bob.ok("room.create", fields().add("name", "Booth")));
        cat.ok("room.join", fields().add("room", booth));
      }
      ann.awaitFrame(presence(bobId, false));
      cat.awaitFrame(presence(bobId, false));
      try (ChatClient bob = ChatClient.connect(endpoint, bobToken)) {
        ann.awaitFrame(presence(bobId, true));
        cat.awaitFrame(presence(bobId, true));
        // A barrier: dan would have heard of bob before this message reached him.
        bob.ok("message.send", direct(dan.userId(), "barrier"));
        dan.awaitFrame(message(dmBetween(bob, dan)));
        assertFalse(dan.hasReceived(presence(bobId, true)), "presence reached a stranger");
      }
    }
  }

  // --- refusals --------------------------------------------------------------------------------

  @Test
  void messageSend_toRoomNotJoined_isNotAMember() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Members only")));
      bob.refused("message.send", text(roomId, "let me in"), "NOT_A_MEMBER");
    }
  }

  @Test
  void requests_aboutUnknownRoom_areRoomNotFound() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long nowhere = 987_654_321L;
      assertAll(
          () -> ann.refused("message.send", text(nowhere, "anyone?"), "ROOM_NOT_FOUND"),
          () -> ann.refused("room.join", fields().add("room", nowhere), "ROOM_NOT_FOUND"),
          () -> ann.refused("room.leave", fields().add("room", nowhere), "ROOM_NOT_FOUND"),
          () -> ann.refused("room.members", fields().add("room", nowhere), "ROOM_NOT_FOUND"));
    }
  }

  @Test
  void messageSend_toUnknownUser_isUserNotFound() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      ann.refused("message.send", direct(987_654_321L, "hello?"), "USER_NOT_FOUND");
      ann.refused("message.send", direct(ann.userId(), "note to self"), "INVALID_FIELD");
    }
  }

  @Test
  void messageSend_thatBreaksTheRules_isRefused() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Rules")));
      assertAll(
          () ->
              ann.refused(
                  "message.send",
                  fields().add("room", roomId).add("kind", "image").add("body", "x"),
                  "INVALID_FIELD"),
          () ->
              ann.refused(
                  "message.send",
                  fields().add("room", roomId).add("kind", "image").add("fileId", "no-such-file"),
                  "FILE_NOT_FOUND"),
          () -> ann.refused("message.send", text(roomId, "x".repeat(4001)), "MESSAGE_REJECTED"),
          () -> ann.refused("message.send", text(roomId, "   "), "INVALID_FIELD"),
          () ->
              ann.refused(
                  "message.send",
                  fields().add("room", roomId).add("kind", "video").add("body", "x"),
                  "INVALID_FIELD"),
          () ->
              ann.refused(
                  "message.send",
                  fields()
                      .add("room", roomId)
                      .add("user", ann.userId())
                      .add("kind", "text")
                      .add("body", "x"),
                  "INVALID_FIELD"));
      // None of them was stored.
      assertEquals(0, history(ann, "room:" + roomId, fields()).getJsonArray("messages").size());
      assertEquals(1, seq(ann.ok("message.send", text(roomId, "x".repeat(4000)))));
    }
  }

  @Test
  void malformedJson_isBadFrameAndConnectionStaysOpen() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      for (String junk : List.of("{\"type\": ", "[1, 2]", "hello", "{\"id\":\"x\"}", "{} {}")) {
        ann.send(junk);
        JsonObject error = ann.awaitFrame(type("error"));
        assertError(error, "BAD_FRAME");
      }
      ann.send("{\"type\":\"ping\"}");
      ann.awaitFrame(type("pong"));
      assertTrue(ann.isOpen());
    }
  }

  @Test
  void unknownType_isUnknownTypeWithTheRequestId() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      JsonObject error = ann.refused("dance", fields(), "UNKNOWN_TYPE");
      assertTrue(error.containsKey("id"));
      ann.ok("room.list", fields());
    }
  }

  @Test
  void request_withoutUsableId_isBadFrame() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      ann.send("{\"type\":\"room.list\"}");
      JsonObject error = ann.awaitFrame(type("error"));
      assertError(error, "BAD_FRAME");
      assertFalse(error.containsKey("id"), error::toString);

      ann.send(fields().add("type", "room.list").add("id", "x".repeat(65)).build().toString());
      assertError(ann.awaitFrame(type("error")), "BAD_FRAME");
      ann.ok("room.list", fields());
    }
  }

  @Test
  void request_withMissingOrInvalidField_isInvalidField() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      assertAll(
          () -> ann.refused("room.join", fields(), "INVALID_FIELD"),
          () -> ann.refused("room.join", fields().add("room", "abc"), "INVALID_FIELD"),
          () -> ann.refused("room.join", fields().add("room", -1), "INVALID_FIELD"),
          () -> ann.refused("room.create", fields(), "INVALID_FIELD"),
          () -> ann.refused("room.create", fields().add("name", "n".repeat(65)), "INVALID_FIELD"),
          () -> ann.refused("room.members", fields(), "INVALID_FIELD"),
          () ->
              ann.refused(
                  "message.send", fields().add("kind", "text").add("body", "x"), "INVALID_FIELD"),
          () -> ann.refused("history", fields(), "INVALID_FIELD"));
      ann.ok("room.list", fields());
    }
  }

  @Test
  void sync_sendsEveryMissedMessageInSeqOrderThenTheLatestSeqs() throws Exception {
    String bobToken = SSO.token("sso|" + UUID.randomUUID(), newName("bob"));
    try (ChatClient ann = connectNew("ann");
        ChatClient cat = connectNew("cat")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Catch-up")));
      cat.ok("room.join", fields().add("room", roomId));
      long bobId;
      try (ChatClient bob = ChatClient.connect(endpoint, bobToken)) {
        bob.ok("room.join", fields().add("room", roomId));
        bobId = bob.userId();
      }
      // Bob is away while these are sent (the second by cat).
      for (int i = 1; i <= 3; i++) {
        (i == 2 ? cat : ann).ok("message.send", text(roomId, "room " + i));
      }
      ann.ok("message.send", direct(bobId, "dm 1"));
      String room = "room:" + roomId;
      String dm = "dm:" + Math.min(ann.userId(), bobId) + ":" + Math.max(ann.userId(), bobId);

      try (ChatClient bob = ChatClient.connect(endpoint, bobToken)) {
        JsonObject ack = bob.ok("sync", fields().add("after", fields().add(room, 1)));
        assertEquals(3, ack.getJsonObject("latest").getInt(room));
        assertEquals(1, ack.getJsonObject("latest").getInt(dm));
        assertFalse(ack.getBoolean("more"));
        // The missed frames came before the ack: after seq 1 in the room, all of the DM.
        List<String> replayed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          JsonObject m = bob.awaitFrame(type("message"));
          replayed.add(
              m.getString("conversation")
                  + "#"
                  + m.getInt("seq")
                  + " "
                  + m.getString("body")
                  + " from "
                  + m.getJsonObject("from").getString("username"));
        }
        assertEquals(
            List.of(
                room + "#2 room 2 from " + cat.username(),
                room + "#3 room 3 from " + ann.username(),
                dm + "#1 dm 1 from " + ann.username()),
            replayed);
        assertFalse(bob.hasReceived(type("message")), "nothing was sent twice");

        // Caught up: the next sync sends nothing.
        JsonObject again = bob.ok("sync", fields().add("after", fields().add(room, 3).add(dm, 1)));
        assertFalse(again.getBoolean("more"));
        assertFalse(bob.hasReceived(type("message")));
      }
    }
  }

  @Test
  void read_movesThePositionTellsTheOthersAndFeedsUnreadCounts() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Receipts")));
      bob.ok("room.join", fields().add("room", roomId));
      String room = "room:" + roomId;
      for (int i = 1; i <= 4; i++) {
        ann.ok("message.send", text(roomId, "m" + i));
      }
      JsonObject listed = conversation(bob.ok("conversation.list", fields()), room);
      assertEquals(4, listed.getInt("lastSeq"));
      assertEquals(0, listed.getInt("readSeq"));
      assertEquals(4, listed.getInt("unread"));
      assertEquals("m4", listed.getJsonObject("lastMessage").getString("body"));
      assertEquals("Receipts", listed.getString("name"));
      // The sender has read what it wrote.
      assertEquals(0, conversation(ann.ok("conversation.list", fields()), room).getInt("unread"));

      bob.ok("read", fields().add("conversation", room).add("seq", 3));
      JsonObject receipt = ann.awaitFrame(type("read"));
      assertEquals(room, receipt.getString("conversation"));
      assertEquals(3, receipt.getInt("seq"));
      assertEquals(bob.userId(), receipt.getJsonObject("user").getJsonNumber("id").longValue());
      assertEquals(1, conversation(bob.ok("conversation.list", fields()), room).getInt("unread"));

      // A position never moves back, nor past the last message.
      bob.ok("read", fields().add("conversation", room).add("seq", 1));
      bob.ok("read", fields().add("conversation", room).add("seq", 99));
      JsonObject after = conversation(bob.ok("conversation.list", fields()), room);
      assertEquals(4, after.getInt("readSeq"));
      assertEquals(0, after.getInt("unread"));
      bob.refused(
          "read", fields().add("conversation", "room:987654321").add("seq", 1), "ROOM_NOT_FOUND");
    }
  }

  @Test
  void blockedWords_areMaskedInWhatIsStoredAndDelivered() throws Exception {
    try (ChatClient ann = connectNew("ann");
        ChatClient bob = connectNew("bob")) {
      long roomId = roomId(ann.ok("room.create", fields().add("name", "Polite")));
      bob.ok("room.join", fields().add("room", roomId));
      ann.ok("message.send", text(roomId, "what a BLORP day"));
      assertEquals("what a ***** day", bob.awaitFrame(message("room:" + roomId)).getString("body"));
      assertEquals(
          List.of("what a ***** day"),
          bodies(history(ann, "room:" + roomId, fields()).getJsonArray("messages")));
    }
  }

  @Test
  void flood_isRateLimitedThenClosedWith4008() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      for (int i = 0; i < 200 && ann.isOpen(); i++) {
        ann.send("{\"type\":\"room.list\",\"id\":\"f" + i + "\"}");
      }
      JsonObject limited =
          ann.awaitFrame(f -> isType(f, "error") && "RATE_LIMITED".equals(f.getString("code")));
      assertTrue(limited.containsKey("id"), "the refusal names the request");
      assertEquals(4008, ann.awaitClose(ChatClient.WAIT));
    }
  }

  @Test
  void oversizedFrame_closesTheConnectionWith1009() throws Exception {
    try (ChatClient ann = connectNew("ann")) {
      ann.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertEquals(1009, ann.awaitClose(ChatClient.WAIT));
    }
  }

  // --- the node in the cluster -----------------------------------------------------------------

  @Test
  void node_isAnnouncedInTheClusterRegistry() throws Exception {
    ClientConfig config = new ClientConfig();
    config.setClusterName(CLUSTER);
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setAddresses(List.of("127.0.0.1:26950", "127.0.0.1:26951"));
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(30_000);
    HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
    try {
      Object value = client.getMap("parley.nodes").get(NODE_ID);
      assertTrue(value instanceof String, () -> "registry entry: " + value);
      JsonObject node;
      try (var reader = Json.createReader(new StringReader((String) value))) {
        node = reader.readObject();
      }
      assertEquals(NODE_ID, node.getString("nodeId"));
      assertEquals(NODE_URL, node.getString("url"));
      assertTrue(node.getInt("connections") >= 0, node::toString);
      Instant lastSeen = Instant.ofEpochMilli(node.getJsonNumber("lastSeen").longValue());
      assertTrue(
          Duration.between(lastSeen, Instant.now()).compareTo(Duration.ofSeconds(15)) < 0,
          () -> "stale heartbeat: " + node);
    } finally {
      client.shutdown();
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static JsonObjectBuilder text(long roomId, String body) {
    return fields().add("room", roomId).add("kind", "text").add("body", body);
  }

  private static JsonObjectBuilder direct(long userId, String body) {
    return fields().add("user", userId).add("kind", "text").add("body", body);
  }

  private static JsonObject history(
      ChatClient reader, String conversation, JsonObjectBuilder page) {
    return reader.ok("history", page.add("conversation", conversation));
  }

  private static long roomId(JsonObject ack) {
    return ack.getJsonObject("room").getJsonNumber("id").longValue();
  }

  private static long seq(JsonObject ack) {
    return ack.getJsonNumber("seq").longValue();
  }

  private static String dmBetween(ChatClient a, ChatClient b) {
    return "dm:" + Math.min(a.userId(), b.userId()) + ":" + Math.max(a.userId(), b.userId());
  }

  private static Predicate<JsonObject> message(String conversation) {
    return f -> isType(f, "message") && conversation.equals(f.getString("conversation", null));
  }

  private static Predicate<JsonObject> joined(long roomId, long userId) {
    return f ->
        isType(f, "member.joined")
            && f.getJsonObject("room").getJsonNumber("id").longValue() == roomId
            && userIs(f, userId);
  }

  private static Predicate<JsonObject> presence(long userId, boolean online) {
    return f -> isType(f, "presence") && userIs(f, userId) && f.getBoolean("online") == online;
  }

  private static boolean userIs(JsonObject frame, long userId) {
    return frame.getJsonObject("user").getJsonNumber("id").longValue() == userId;
  }

  private static Predicate<JsonObject> roomCreated(long roomId) {
    return f ->
        isType(f, "room.created")
            && f.getJsonObject("room").getJsonNumber("id").longValue() == roomId;
  }

  private static List<String> bodies(JsonArray messages) {
    return messages.getValuesAs(JsonObject.class).stream().map(m -> m.getString("body")).toList();
  }

  private static JsonObject room(long id, String name, long memberCount, boolean joined) {
    return Json.createObjectBuilder()
        .add("id", id)
        .add("name", name)
        .add("memberCount", memberCount)
        .add("joined", joined)
        .build();
  }

  private static JsonObject conversation(JsonObject listAck, String id) {
    return listAck.getJsonArray("conversations").stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not listed: " + listAck));
  }

  private static JsonObject find(JsonArray rooms, long id) {
    return rooms.getValuesAs(JsonObject.class).stream()
        .filter(r -> r.getJsonNumber("id").longValue() == id)
        .findFirst()
        .orElseThrow(() -> new AssertionError("room " + id + " is not listed: " + rooms));
  }

  private static JsonObject member(JsonObject membersAck, long userId) {
    JsonArray members = membersAck.getJsonArray("members");
    return members.getValuesAs(JsonObject.class).stream()
        .filter(m -> m.getJsonNumber("id").longValue() == userId)
        .findFirst()
        .orElseThrow(() -> new AssertionError("user " + userId + " is not listed: " + members));
  }
}
