package dev.parley.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

  @Test
  void choose_spreadsClientsExactlyEvenly() {
    RoundRobin rr = new RoundRobin();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(rr.choose(Nodes.nodes(3), Optional.empty()).nodeId(), 1, Integer::sum);
    }
    assertEquals(Map.of("node-1", 100, "node-2", 100, "node-3", 100), counts);
  }

  @Test
  void choose_keepsRotatingWhenANodeLeaves() {
    RoundRobin rr = new RoundRobin();
    rr.choose(Nodes.nodes(3), Optional.empty());
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      counts.merge(rr.choose(Nodes.nodes(2), Optional.empty()).nodeId(), 1, Integer::sum);
    }
    assertEquals(Map.of("node-1", 50, "node-2", 50), counts);
  }
}
