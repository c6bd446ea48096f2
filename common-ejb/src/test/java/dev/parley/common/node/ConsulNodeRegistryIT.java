package dev.parley.common.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * The Consul registry against a real Consul agent at {@code PARLEY_TEST_CONSUL_URL} ({@code
 * bin/parley test} and {@code bin/parley services} start one). Each test uses its own service name,
 * so tests, and anyone else using the agent, do not see one another's nodes. A "node" registry
 * announces, as an IM node does; a separate "gateway" registry reads, as the gateway does.
 */
class ConsulNodeRegistryIT {

  /** How soon a change must reach the gateway's cache. */
  private static final Duration PROMPTLY = Duration.ofSeconds(3);

  private static URI consul;

  private String service;
  private final List<ConsulNodeRegistry> registries = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void agent() {
    String url = System.getenv("PARLEY_TEST_CONSUL_URL");
    if (url == null || url.isBlank()) {
      fail(
          "PARLEY_TEST_CONSUL_URL is not set: these tests need a real Consul agent. Run them with"
              + " `bin/parley test`, or start one with `bin/parley services` and export what it"
              + " prints.");
    }
    consul = URI.create(url);
  }

  @BeforeEach
  void ownService() {
    service = "parley-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close(); // heartbeats first, so none lands on a closed registry
    }
    for (ConsulNodeRegistry registry : registries) {
      registry.close(); // deregisters what it announced
    }
  }

  @Test
  void announce_makesTheNodeLiveWithItsUrlAndLoad() {
    ConsulNodeRegistry node = registry(consul, Duration.ofSeconds(10));
    ConsulNodeRegistry gateway = registry(consul, Duration.ofSeconds(10));
    NodeInfo announced = node("node-1", 38181, 3, 1);

    node.announce(announced);

    await("node-1 live with its load", () -> gateway.liveNodes().equals(List.of(announced)));
    // What other Consul clients see: address and port from the URL, the load in the check output.
    ServiceHealth instance = passingInstances().get(0);
    assertEquals("127.0.0.1", instance.getService().getAddress());
    assertEquals(38181, instance.getService().getPort());
    HealthCheck ttl = serviceCheck(instance);
    assertEquals(Optional.of("connections=3 queued=1"), ttl.getOutput());
  }

  @Test
  void liveNodes_everyFirstCaller_waitsForConsulsFirstAnswer() throws Exception {
    ConsulNodeRegistry node = registry(consul, Duration.ofSeconds(10));
    NodeInfo announced = node("node-1", 38181, 0, 0);
    node.announce(announced);
    ConsulNodeRegistry reader = registry(consul, Duration.ofSeconds(10));
    await("node-1 passing", () -> reader.liveNodes().equals(List.of(announced)));

    // A fresh gateway asked by several requests at once (its health probe and a route, say):
    // only one of them starts the watch, and all must see what Consul answers.
    ConsulNodeRegistry gateway = registry(consul, Duration.ofSeconds(10));
    ExecutorService callers = Executors.newFixedThreadPool(4);
    resources.add(callers::shutdownNow);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<NodeInfo>>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(
          callers.submit(
              () -> {
                go.await();
                return gateway.liveNodes();
              }));
    }
    go.countDown();
    for (Future<List<NodeInfo>> answer : answers) {
      assertEquals(List.of(announced), answer.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void announce_again_reachesTheGatewaysCacheWithinSeconds() {
    ConsulNodeRegistry node = registry(consul, Duration.ofSeconds(10));
    ConsulNodeRegistry gateway = registry(consul, Duration.ofSeconds(10));
    node.announce(node("node-1", 38181, 3, 0));
    await("node-1 live", () -> ids(gateway).equals(Set.of("node-1")));

    node.announce(node("node-1", 38181, 7, 2));
    awaitWithin(
        PROMPTLY,
        "node-1's new load",
        () -> gateway.liveNodes().stream().anyMatch(n -> n.connections() == 7 && n.queued() == 2));

    node.announce(node("node-2", 38182, 0, 0));
    awaitWithin(PROMPTLY, "node-2 joins", () -> ids(gateway).equals(Set.of("node-1", "node-2")));
  }

  @Test
  void announce_onEveryHeartbeat_keepsTheNodeLivePastItsTtl() {
    Duration ttl = Duration.ofSeconds(2);
    ConsulNodeRegistry node = registry(consul, ttl);
    ConsulNodeRegistry gateway = registry(consul, ttl);
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
    resources.add(heartbeat::shutdownNow);
    heartbeat.scheduleAtFixedRate(
        () -> node.announce(node("node-1", 38181, 1, 0)), 0, 500, TimeUnit.MILLISECONDS);
    await("node-1 live", () -> ids(gateway).equals(Set.of("node-1")));

    // Three TTLs in which a check passed only at registration would have gone critical.
    Instant until = Instant.now().plus(ttl.multipliedBy(3));
    while (Instant.now().isBefore(until)) {
      assertEquals(Set.of("node-1"), ids(gateway), "while heart-beating");
      pause();
    }
  }

  @Test
  void withdraw_removesTheNodeAtOnce() {
    // A TTL far longer than the wait below: only the deregistration can remove the node in time.
    ConsulNodeRegistry node = registry(consul, Duration.ofSeconds(60));
    ConsulNodeRegistry gateway = registry(consul, Duration.ofSeconds(60));
    node.announce(node("node-1", 38181, 0, 0));
    node.announce(node("node-2", 38182, 0, 0));
    await("both nodes live", () -> ids(gateway).equals(Set.of("node-1", "node-2")));

    node.withdraw("node-1");

    awaitWithin(Duration.ofSeconds(1), "node-1 gone", () -> ids(gateway).equals(Set.of("node-2")));
    assertTrue(passingInstances().stream().noneMatch(i -> i.getService().getId().equals("node-1")));
  }

  @Test
  void node_thatStopsHeartbeating_disappearsWhenItsTtlRunsOut() {
    Duration ttl = Duration.ofSeconds(2);
    ConsulNodeRegistry node = registry(consul, ttl);
    ConsulNodeRegistry gateway = registry(consul, ttl);
    node.announce(node("node-1", 38181, 0, 0));
    await("node-1 live", () -> ids(gateway).equals(Set.of("node-1")));
    node.announce(node("node-1", 38181, 0, 0));
    long lastHeartbeat = System.nanoTime();

    awaitWithin(ttl.plus(PROMPTLY), "node-1 gone after its TTL", () -> ids(gateway).isEmpty());

    Duration after = Duration.ofNanos(System.nanoTime() - lastHeartbeat);
    assertTrue(
        after.compareTo(ttl.minusMillis(500)) >= 0,
        "node-1 vanished " + after + " after its last heartbeat, before its TTL of " + ttl);
  }

  @Test
  void liveNodes_whileConsulIsUnreachable_keepsTheLastKnownList_thenFollowsAgain()
      throws IOException {
    ConsulNodeRegistry node = registry(consul, Duration.ofSeconds(60));
    TcpRelay relay = new TcpRelay(0, consul);
    int port = relay.port();
    resources.add(relay);
    ConsulNodeRegistry gateway = registry(relay.uri(), Duration.ofSeconds(60));
    node.announce(node("node-1", 38181, 0, 0));
    node.announce(node("node-2", 38182, 0, 0));
    await("both nodes live", () -> ids(gateway).equals(Set.of("node-1", "node-2")));
    List<NodeInfo> lastKnown = gateway.liveNodes();

    relay.close();
    await("the gateway notices Consul is gone", gateway::isServingLastKnown);
    node.withdraw("node-1"); // a change the gateway cannot see

    assertEquals(Set.copyOf(lastKnown), Set.copyOf(gateway.liveNodes()));

    TcpRelay back = new TcpRelay(port, consul);
    resources.add(back);
    awaitWithin(
        Duration.ofSeconds(10), // the cache retries every 1 to 5 s
        "the gateway follows Consul again",
        () -> ids(gateway).equals(Set.of("node-2")));
    assertTrue(!gateway.isServingLastKnown(), "still serving the last known list");
  }

  private ConsulNodeRegistry registry(URI url, Duration ttl) {
    ConsulNodeRegistry registry = new ConsulNodeRegistry(url, service, ttl, Duration.ofMinutes(1));
    registries.add(registry);
    return registry;
  }

  private static NodeInfo node(String id, int port, int connections, int queued) {
    // Consul keeps milliseconds; so does the comparison.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new NodeInfo(id, "ws://127.0.0.1:" + port + "/ws", connections, queued, now);
  }

  private static Set<String> ids(ConsulNodeRegistry registry) {
    return registry.liveNodes().stream().map(NodeInfo::nodeId).collect(Collectors.toSet());
  }

  /** The passing instances as Consul's health API gives them, read directly. */
  private List<ServiceHealth> passingInstances() {
    Consul client = Consul.builder().withUrl(consul.toString()).build();
    try {
      return client.healthClient().getHealthyServiceInstances(service).getResponse();
    } finally {
      client.destroy();
    }
  }

  private static HealthCheck serviceCheck(ServiceHealth instance) {
    return instance.getChecks().stream()
        .filter(c -> c.getServiceId().filter(id -> !id.isEmpty()).isPresent())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service check in " + instance.getChecks()));
  }

  private static void await(String what, BooleanSupplier condition) {
    awaitWithin(Duration.ofSeconds(10), what, condition);
  }

  private static void awaitWithin(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + timeout + ": " + what);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
