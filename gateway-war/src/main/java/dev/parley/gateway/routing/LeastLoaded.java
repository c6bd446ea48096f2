package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the node with the least load: its reported connections and queued frames, plus the clients
 * this gateway sent it since that report. Without the second term every client of a burst would go
 * to the same node until the node's next heartbeat.
 */
final class LeastLoaded implements Strategy {

  private record Sent(Instant reportSeen, int count) {}

  private final Map<String, Sent> sentSinceReport = new ConcurrentHashMap<>();

  @Override
  public synchronized NodeInfo choose(List<NodeInfo> healthy, Optional<Long> room) {
    NodeInfo best = null;
    long bestLoad = Long.MAX_VALUE;
    for (NodeInfo node : healthy) {
      long load = (long) node.connections() + node.queued() + sent(node);
      if (load < bestLoad) {
        best = node;
        bestLoad = load;
      }
    }
    NodeInfo chosen = best;
    sentSinceReport.put(chosen.nodeId(), new Sent(chosen.lastSeen(), sent(chosen) + 1));
    return chosen;
  }

  private int sent(NodeInfo node) {
    Sent sent = sentSinceReport.get(node.nodeId());
    // A newer report already counts the clients sent before it.
    return sent == null || !sent.reportSeen().equals(node.lastSeen()) ? 0 : sent.count();
  }
}
