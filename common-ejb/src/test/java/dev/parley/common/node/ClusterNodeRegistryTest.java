package dev.parley.common.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterNodeRegistry} on a real Hazelcast member (alone in a cluster of its own, no network
 * join): the reader's local copy follows announcements, updates and withdrawals.
 */
class ClusterNodeRegistryTest {

  private static HazelcastInstance hazelcast;

  @BeforeAll
  static void startMember() {
    Config config = new Config();
    config.setClusterName("parley-registry-test-" + UUID.randomUUID());
    config.getNetworkConfig().setPort(25701).setPortAutoIncrement(true);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast = Hazelcast.newHazelcastInstance(config);
  }

  @AfterAll
  static void stopMember() {
    hazelcast.shutdown();
  }

  private static ClusterNodeRegistry registry(Duration ttl) {
    ClusterNodeRegistry registry = new ClusterNodeRegistry();
    registry.hazelcast = hazelcast;
    registry.ttl = ttl;
    return registry;
  }

  private static NodeInfo node(String id, int connections, Instant lastSeen) {
    return new NodeInfo(id, "ws://127.0.0.1:1/" + id, connections, 0, lastSeen);
  }

  private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.onSpinWait();
    }
  }

  @Test
  void theReader_followsAnnouncementsUpdatesAndWithdrawals() throws Exception {
    hazelcast.getMap(ClusterNodeRegistry.MAP_NAME).clear();
    ClusterNodeRegistry node1 = registry(Duration.ofMinutes(1));
    ClusterNodeRegistry gateway = registry(Duration.ofMinutes(1));
    node1.announce(node("node-1", 5, Instant.now()));
    // The first read reads the map whole.
    assertEquals(List.of("node-1"), gateway.liveNodes().stream().map(NodeInfo::nodeId).toList());

    try {
      node1.announce(node("node-2", 0, Instant.now()));
      await(() -> gateway.liveNodes().size() == 2, "a new node was not listed");
      node1.announce(node("node-1", 9, Instant.now()));
      await(
          () ->
              gateway.liveNodes().stream()
                  .anyMatch(n -> n.nodeId().equals("node-1") && n.connections() == 9),
          "a heartbeat's new count was not seen");
      node1.withdraw("node-1");
      await(
          () ->
              gateway.liveNodes().stream().map(NodeInfo::nodeId).toList().equals(List.of("node-2")),
          "a withdrawn node was still listed");
    } finally {
      gateway.stop();
    }
  }

  @Test
  void aNodeNotSeenWithinTheTtl_isNotListed() throws Exception {
    hazelcast.getMap(ClusterNodeRegistry.MAP_NAME).clear();
    ClusterNodeRegistry registry = registry(Duration.ofMinutes(1));
    try {
      registry.announce(node("node-old", 1, Instant.now().minus(Duration.ofMinutes(2))));
      registry.announce(node("node-new", 1, Instant.now()));
      await(() -> !registry.liveNodes().isEmpty(), "no node listed");
      assertEquals(
          List.of("node-new"), registry.liveNodes().stream().map(NodeInfo::nodeId).toList());
    } finally {
      registry.stop();
    }
  }
}
