package dev.parley.imnode.node;

import dev.parley.common.node.NodeInfo;
import dev.parley.common.node.NodeRegistry;
import dev.parley.imnode.connection.Connections;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Instant;

/**
 * Announces this node in the registry at start and every five seconds with its live connection
 * count, and withdraws it first thing on shutdown, so that the gateway stops routing clients here
 * before connections close.
 */
@Startup
@Singleton
@DependsOn("SchemaMigration")
public class NodeAnnouncer {

  private static final System.Logger LOG = System.getLogger(NodeAnnouncer.class.getName());

  @Inject NodeRegistry registry;
  @Inject NodeIdentity identity;
  @Inject Connections connections;

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

  @PreDestroy
  void stop() {
    withdrawn = true;
    try {
      registry.withdraw(identity.nodeId());
      LOG.log(Level.INFO, "node {0} withdrawn from the registry", identity.nodeId());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not withdraw node {0}: {1}", identity.nodeId(), e.toString());
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
