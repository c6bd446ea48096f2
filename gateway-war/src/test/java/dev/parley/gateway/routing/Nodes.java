package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test nodes. */
final class Nodes {

  static final Instant REPORTED = Instant.parse("2026-01-01T00:00:00Z");

  private Nodes() {}

  static NodeInfo node(String id, int connections) {
    return new NodeInfo(id, "ws://" + id + ":8081/ws", connections, 0, REPORTED);
  }

  static List<NodeInfo> nodes(int n) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add(node("node-" + i, 0));
    }
    return nodes;
  }
}
