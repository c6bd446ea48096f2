package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import java.util.List;
import java.util.Optional;

/** An algorithm that picks one of the healthy nodes for a client. */
interface Strategy {

  /**
   * @param healthy the healthy nodes, never empty, sorted by node id
   * @param room the room the client asked to be near, when it named one
   */
  NodeInfo choose(List<NodeInfo> healthy, Optional<Long> room);
}
