package dev.parley.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.node.NodeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeastLoadedTest {

  @Test
  void choose_fillsTheEmptierNodeFirst() {
    LeastLoaded ll = new LeastLoaded();
    List<NodeInfo> nodes = List.of(Nodes.node("a", 100), Nodes.node("b", 40));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      counts.merge(ll.choose(nodes, Optional.empty()).nodeId(), 1, Integer::sum);
    }
    // b takes the first 60 clients (up to 100), then the two alternate: 80 and 20.
    assertEquals(Map.of("a", 20, "b", 80), counts);
  }

  @Test
  void choose_countsQueuedFramesAsLoad() {
    LeastLoaded ll = new LeastLoaded();
    NodeInfo busy = new NodeInfo("a", "ws://a/ws", 10, 500, Nodes.REPORTED);
    NodeInfo calm = new NodeInfo("b", "ws://b/ws", 100, 0, Nodes.REPORTED);
    assertEquals("b", ll.choose(List.of(busy, calm), Optional.empty()).nodeId());
  }

  @Test
  void choose_forgetsItsOwnCountOnceANodeReportsAgain() {
    LeastLoaded ll = new LeastLoaded();
    for (int i = 0; i < 10; i++) {
      ll.choose(List.of(Nodes.node("a", 0), Nodes.node("b", 5)), Optional.empty());
    }
    // a's new report already includes the clients sent to it; b is now the emptier one.
    NodeInfo aReported = new NodeInfo("a", "ws://a/ws", 8, 0, Nodes.REPORTED.plusSeconds(5));
    assertEquals("b", ll.choose(List.of(aReported, Nodes.node("b", 5)), Optional.empty()).nodeId());
  }
}
