package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import dev.parley.common.node.NodeRegistry;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out live nodes round-robin, in node-id order so that the rotation is stable. */
@ApplicationScoped
public class NodeSelection {

  @Inject NodeRegistry registry;

  private final AtomicLong next = new AtomicLong();

  /**
   * The node the next client should use.
   *
   * @throws ParleyException {@code NO_NODE_AVAILABLE} when no node is live
   */
  public NodeInfo choose() {
    return pick(liveNodes());
  }

  public List<NodeInfo> liveNodes() {
    return registry.liveNodes().stream().sorted(Comparator.comparing(NodeInfo::nodeId)).toList();
  }

  NodeInfo pick(List<NodeInfo> live) {
    if (live.isEmpty()) {
      throw new ParleyException(ErrorCode.NO_NODE_AVAILABLE);
    }
    return live.get((int) Math.floorMod(next.getAndIncrement(), (long) live.size()));
  }
}
