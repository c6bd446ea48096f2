package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import dev.parley.common.node.NodeRegistry;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.gateway.discovery.NodeHealth;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Routes clients to healthy nodes with the configured strategy: {@code round-robin}, {@code
 * least-loaded}, or {@code room-affinity} (consistent hashing of {@code ?room=}, least-loaded for
 * clients that name no room).
 */
@ApplicationScoped
public class NodeSelection {

  @Inject NodeRegistry registry;
  @Inject NodeHealth health;

  @Inject
  @ConfigProperty(name = "parley.gateway.routing.strategy", defaultValue = "round-robin")
  String strategyName;

  private Strategy strategy;

  @PostConstruct
  void init() {
    strategy = strategy(strategyName);
  }

  static Strategy strategy(String name) {
    return switch (name) {
      case "round-robin" -> new RoundRobin();
      case "least-loaded" -> new LeastLoaded();
      case "room-affinity" -> new RoomAffinity(new LeastLoaded());
      default ->
          throw new IllegalArgumentException(
              "parley.gateway.routing.strategy must be round-robin, least-loaded or"
                  + " room-affinity, not "
                  + name);
    };
  }

  /**
   * The node the next client should use.
   *
   * @throws ParleyException {@code NO_NODE_AVAILABLE} when no node is healthy
   */
  public NodeInfo choose(Optional<Long> room) {
    List<NodeInfo> healthy = health.healthyNodes(registeredNodes());
    if (healthy.isEmpty()) {
      throw new ParleyException(ErrorCode.NO_NODE_AVAILABLE);
    }
    return strategy.choose(healthy, room);
  }

  /** Every registered node, healthy or not, by node id. */
  public List<NodeInfo> registeredNodes() {
    return registry.liveNodes().stream().sorted(Comparator.comparing(NodeInfo::nodeId)).toList();
  }

  public boolean isHealthy(NodeInfo node) {
    return health.isHealthy(node.nodeId());
  }
}
