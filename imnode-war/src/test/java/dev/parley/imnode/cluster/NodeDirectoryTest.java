package dev.parley.imnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node directory on a real two-member Hazelcast cluster (loopback): a lapsed entry is only a
 * suspicion, a node is declared departed when its entry stays missing, and a node learns on its
 * next renewal whether it was declared departed. Confirmation is driven by calling {@code confirm}
 * directly (the grace period is set long), so nothing depends on timing.
 */
class NodeDirectoryTest {

  private static HazelcastInstance first;
  private static HazelcastInstance second;
  private static ScheduledExecutorService executor;

  @BeforeAll
  static void cluster() {
    String name = "parley-directory-test-" + UUID.randomUUID();
    first = Hazelcast.newHazelcastInstance(config(name));
    second = Hazelcast.newHazelcastInstance(config(name));
    executor = Executors.newScheduledThreadPool(1);
  }

  @AfterAll
  static void shutdown() {
    executor.shutdownNow();
    second.shutdown();
    first.shutdown();
  }

  @Test
  void missingEntry_isDeclaredDepartedAfterConfirmation_andTheNodeRevivesOnItsNextRenewal()
      throws Exception {
    Directory a = directory(first, "a-" + UUID.randomUUID());
    Directory b = directory(second, "b-" + UUID.randomUUID());
    suspectLapsed(a, b);

    a.node.confirm(b.id());
    await(() -> !a.departed.isEmpty(), "a declares b departed");
    assertEquals(List.of(new NodeDeparted(b.id())), a.departed);
    assertTrue(a.node.suspected().isEmpty());

    b.node.renew();
    assertEquals(List.of(new NodeRevived(b.id())), b.revived, "b learns it was declared departed");
    b.node.renew();
    assertEquals(1, b.revived.size(), "and only once");
    a.node.stop();
    b.node.stop();
  }

  @Test
  void lapsedEntryRenewedWithinTheGrace_declaresNothingAndRevivesNothing() throws Exception {
    Directory a = directory(first, "a-" + UUID.randomUUID());
    Directory b = directory(second, "b-" + UUID.randomUUID());
    suspectLapsed(a, b);

    b.node.renew();
    a.node.confirm(b.id());
    // A departure would have been fired on the one-thread executor: this runs after it.
    executor.submit(() -> null).get();
    assertTrue(a.departed.isEmpty(), "b renewed in time: not departed");
    assertTrue(b.revived.isEmpty(), "nobody declared b departed: no resync");
    assertTrue(a.node.liveNodes().contains(b.id()));
    b.node.renew();
    assertTrue(b.revived.isEmpty());
    a.node.stop();
    b.node.stop();
  }

  @Test
  void stoppingNode_isDepartedAtOnce() throws Exception {
    Directory a = directory(first, "a-" + UUID.randomUUID());
    Directory b = directory(second, "b-" + UUID.randomUUID());
    a.node.renew();

    b.node.stop();
    await(() -> !a.departed.isEmpty(), "a hears b's deletion");
    assertEquals(List.of(new NodeDeparted(b.id())), a.departed);
    a.node.stop();
  }

  /** {@code a} knows {@code b}; {@code b}'s entry lapses and {@code a} suspects it, no more. */
  private static void suspectLapsed(Directory a, Directory b) throws InterruptedException {
    a.node.renew();
    lapse(b.id());
    a.node.renew();
    assertEquals(Set.of(b.id()), a.node.suspected(), "a suspects b once b's entry is missing");
    assertTrue(a.departed.isEmpty(), "a suspicion alone declares nothing");
  }

  /** The entry vanishes as on expiry (no removal event): a one-millisecond TTL. */
  private static void lapse(String node) throws InterruptedException {
    first.<String, Long>getMap(NodeDirectory.MAP_NAME).put(node, 0L, 1, TimeUnit.MILLISECONDS);
    await(
        () -> !first.getMap(NodeDirectory.MAP_NAME).containsKey(node),
        "the entry of " + node + " lapses");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10); // polling interval of a bounded await, not synchronisation
    }
  }

  private record Directory(
      NodeDirectory node, List<NodeDeparted> departed, List<NodeRevived> revived) {
    String id() {
      return node.nodeId;
    }
  }

  private static Directory directory(HazelcastInstance hazelcast, String id) {
    NodeDirectory node = new NodeDirectory();
    List<NodeDeparted> departed = new CopyOnWriteArrayList<>();
    List<NodeRevived> revived = new CopyOnWriteArrayList<>();
    node.hazelcast = hazelcast;
    node.scheduler = containerExecutor(ManagedScheduledExecutorService.class);
    node.executor = containerExecutor(ManagedExecutorService.class);
    node.nodeId = id;
    node.ttl = Duration.ofMinutes(5);
    node.grace = Duration.ofMinutes(5);
    node.departed = recorder(departed);
    node.revived = recorder(revived);
    node.start(null);
    return new Directory(node, departed, revived);
  }

  /** The container's executors, here a plain one: every call goes to {@link #executor}. */
  private static <T> T containerExecutor(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            NodeDirectoryTest.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              try {
                return method.invoke(executor, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }

  /** A CDI event that runs its observer synchronously: the list it records into. */
  @SuppressWarnings("unchecked")
  private static <T> Event<T> recorder(List<T> fired) {
    return (Event<T>)
        Proxy.newProxyInstance(
            NodeDirectoryTest.class.getClassLoader(),
            new Class<?>[] {Event.class},
            (proxy, method, args) -> {
              if (method.getName().equals("fire")) {
                fired.add((T) args[0]);
                return null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static Config config(String clusterName) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().setPort(27900).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .addMember("127.0.0.1:27900")
        .addMember("127.0.0.1:27901");
    return config;
  }
}
