package dev.parley.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.common.node.NodeInfo;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectionTest {

  private final NodeSelection selection = new NodeSelection();

  private static NodeInfo node(String id) {
    return new NodeInfo(id, "ws://" + id + "/ws", 0, 0, Instant.now());
  }

  @Test
  void pick_spreadsClientsEvenly() {
    List<NodeInfo> live = List.of(node("a"), node("b"), node("c"));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(selection.pick(live).nodeId(), 1, Integer::sum);
    }
    assertEquals(Map.of("a", 100, "b", 100, "c", 100), counts);
  }

  @Test
  void pick_withNoNodeIsNoNodeAvailable() {
    assertEquals(
        ErrorCode.NO_NODE_AVAILABLE,
        assertThrows(ParleyException.class, () -> selection.pick(List.of())).code());
  }
}
