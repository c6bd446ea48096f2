package dev.parley.imnode.node;

import com.hazelcast.core.HazelcastInstance;
import dev.parley.common.node.NodeInfo;
import dev.parley.common.node.NodeRegistry;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.cluster.NodeDirectory;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.Connections;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Announces this node in the registry at start and every five seconds with its live connection
 * count, and withdraws it first thing on shutdown, so that the gateway stops routing clients here
 * before connections close.
 */
@Startup
@Singleton
@DependsOn({"SchemaMigration", "StandaloneListener"})
public class NodeAnnouncer {

  private static final System.Logger LOG = System.getLogger(NodeAnnouncer.class.getName());

  @Inject NodeRegistry registry;
  @Inject NodeIdentity identity;
  @Inject Connections connections;
  @Inject NodeDirectory directory;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  /** Close code that tells clients the node is going away and they should reconnect. */
  public static final int CLOSE_DRAINING = 1012;

  @Inject
  @ConfigProperty(name = "parley.imnode.drain.timeout", defaultValue = "PT5S")
  Duration drainTimeout;

  private volatile boolean withdrawn;

  @PostConstruct
  void start() {
    announce();
    LOG.log(Level.INFO, "node {0} announced at {1}", identity.nodeId(), identity.url());
  }

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
  void heartbeat() {
    if (!withdrawn) {
      announce();
    }
  }

  /** Whether the node is still announced (false once shutdown has begun). */
  public boolean isAnnounced() {
    return !withdrawn;
  }

  /**
   * Shutdown, in the order that loses nothing: leave the registry (no new clients), tell every
   * client {@code draining} and close with 1012 so that it reconnects through the gateway and
   * syncs, wait (boundedly) for the connections to close, leave the node directory, and, when the
   * process is exiting, leave the Hazelcast cluster gracefully (its partitions handed over first).
   * Payara Micro's own shutdown does not get that far: the member would vanish, and the other
   * nodes' cluster operations stall until they have declared it dead ({@code
   * -Dhazelcast.shutdownhook.enabled=false} keeps Hazelcast's own hook from terminating the member
   * while the drain still needs it).
   */
  @PreDestroy
  void stop() {
    withdrawn = true;
    try {
      registry.withdraw(identity.nodeId());
      LOG.log(Level.INFO, "node {0} withdrawn from the registry", identity.nodeId());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not withdraw node {0}: {1}", identity.nodeId(), e.toString());
    }
    connections.beginDrain();
    String draining =
        ServerFrames.draining("This node is shutting down; reconnect through /api/route");
    for (Connection c : connections.all()) {
      c.send(draining);
      c.close(CLOSE_DRAINING, "Node draining");
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (connections.count() > 0 && System.nanoTime() < deadline) {
      try {
        // Bounded wait for the close handshakes the loop above started.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.log(
        Level.INFO,
        "node {0} drained; {1} connections left",
        identity.nodeId(),
        connections.count());
    directory.leave();
    if (processExiting()) {
      // An undeploy alone (a redeploy, a test's deployment) keeps the server's data grid.
      try {
        hazelcast.getLifecycleService().shutdown();
        LOG.log(Level.INFO, "node {0} left the Hazelcast cluster", identity.nodeId());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not leave the Hazelcast cluster: {0}", e.toString());
      }
    }
  }

  /** Whether the JVM is shutting down: it refuses new shutdown hooks then. */
  private static boolean processExiting() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }

  private void announce() {
    registry.announce(
        new NodeInfo(
            identity.nodeId(),
            identity.url(),
            connections.count(),
            connections.queuedFrames(),
            Instant.now()));
  }
}
