package dev.parley.common.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.agent.Registration;

/** The registry's own logic, without a Consul agent (ConsulNodeRegistryIT has one). */
class ConsulNodeRegistryTest {

  private static final NodeInfo NODE =
      new NodeInfo(
          "node-1", "ws://10.0.0.7:8081/ws", 12, 3, Instant.ofEpochMilli(1_700_000_000_123L));

  @Test
  void address_isTheHostAndPortOfTheWebSocketUrl() {
    assertEquals(
        new ConsulNodeRegistry.Address("10.0.0.7", 8081),
        ConsulNodeRegistry.address("ws://10.0.0.7:8081/ws"));
    assertEquals(
        new ConsulNodeRegistry.Address("chat.example.com", 9443),
        ConsulNodeRegistry.address("wss://chat.example.com:9443/ws?x=1"));
  }

  @Test
  void address_defaultsToTheSchemesPort() {
    assertEquals(80, ConsulNodeRegistry.address("ws://node.example/ws").port());
    assertEquals(443, ConsulNodeRegistry.address("WSS://node.example/ws").port());
  }

  @Test
  void address_unbracketsIpv6() {
    assertEquals(
        new ConsulNodeRegistry.Address("::1", 8081),
        ConsulNodeRegistry.address("ws://[::1]:8081/ws"));
  }

  @Test
  void address_refusesWhatIsNotAWebSocketUrl() {
    for (String url : List.of("http://host:8081/ws", "ws:///ws", "/ws", "ws://bad host/ws", "")) {
      assertThrows(
          IllegalArgumentException.class, () -> ConsulNodeRegistry.address(url), "for " + url);
    }
  }

  @Test
  void meta_carriesUrlAndLoadThatNodeReadsBack() {
    Map<String, String> meta = ConsulNodeRegistry.meta(NODE);

    assertEquals("ws://10.0.0.7:8081/ws", meta.get("url"));
    assertEquals("12", meta.get("connections"));
    assertEquals("3", meta.get("queued"));
    assertEquals(Optional.of(NODE), ConsulNodeRegistry.node("node-1", meta));
  }

  @Test
  void meta_refusesUrlLongerThanConsulKeeps() {
    NodeInfo node = new NodeInfo("n", "ws://h:1/" + "x".repeat(600), 0, 0, Instant.EPOCH);

    assertThrows(IllegalArgumentException.class, () -> ConsulNodeRegistry.meta(node));
  }

  @Test
  void node_ignoresMetaThatIsNotANodes() {
    Map<String, String> good = ConsulNodeRegistry.meta(NODE);
    for (String key : List.of("url", "connections", "queued", "seen")) {
      Map<String, String> missing = new HashMap<>(good);
      missing.remove(key);
      assertEquals(Optional.empty(), ConsulNodeRegistry.node("node-1", missing), "without " + key);
      Map<String, String> garbled = new HashMap<>(good);
      garbled.put(key, key.equals("url") ? "" : "many");
      assertEquals(Optional.empty(), ConsulNodeRegistry.node("node-1", garbled), "bad " + key);
    }
    assertEquals(Optional.empty(), ConsulNodeRegistry.node("", good));
  }

  @Test
  void registration_hasTheNodesIdAddressMetaAndTtlCheck() {
    ConsulNodeRegistry registry =
        new ConsulNodeRegistry(
            URI.create("http://127.0.0.1:" + closedPort()),
            "parley-test",
            Duration.ofSeconds(7),
            Duration.ofMinutes(2));
    try {
      Registration registration = registry.registration(NODE);

      assertEquals("node-1", registration.getId());
      assertEquals("parley-test", registration.getName());
      assertEquals(Optional.of("10.0.0.7"), registration.getAddress());
      assertEquals(Optional.of(8081), registration.getPort());
      assertEquals(ConsulNodeRegistry.meta(NODE), registration.getMeta());
      Registration.RegCheck check = registration.getCheck().orElseThrow();
      assertEquals(Optional.of("7000ms"), check.getTtl());
      assertEquals(Optional.of("120000ms"), check.getDeregisterCriticalServiceAfter());
    } finally {
      registry.close();
    }
  }

  @Test
  void checkOutput_spellsOutTheLoad() {
    assertEquals("connections=12 queued=3", ConsulNodeRegistry.checkOutput(NODE));
  }

  @Test
  void withoutAnAgent_announceLogsAndReturns_liveNodesIsEmpty_withdrawThrows() {
    ConsulNodeRegistry registry =
        new ConsulNodeRegistry(
            URI.create("http://127.0.0.1:" + closedPort()),
            "parley-test",
            Duration.ofSeconds(10),
            Duration.ofMinutes(1));
    try {
      registry.announce(NODE);

      long start = System.nanoTime();
      assertEquals(List.of(), registry.liveNodes());
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      // A refused connection ends the first-answer wait; only silence may take the full 5 s.
      assertTrue(waited.compareTo(Duration.ofSeconds(4)) < 0, "waited " + waited);

      assertThrows(ConsulException.class, () -> registry.withdraw("node-1"));
    } finally {
      registry.close();
    }
  }

  /** A local port nothing listens on. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port", e);
    }
  }
}
