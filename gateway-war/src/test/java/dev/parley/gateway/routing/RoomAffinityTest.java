package dev.parley.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.node.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomAffinityTest {

  private static final int ROOMS = 10_000;

  private static Map<Long, String> place(RoomAffinity affinity, List<NodeInfo> nodes) {
    Map<Long, String> placement = new HashMap<>();
    for (long room = 1; room <= ROOMS; room++) {
      placement.put(room, affinity.choose(nodes, Optional.of(room)).nodeId());
    }
    return placement;
  }

  @Test
  void choose_sendsEveryMemberOfARoomToTheSameNode() {
    RoomAffinity affinity = new RoomAffinity(new RoundRobin());
    List<NodeInfo> nodes = Nodes.nodes(4);
    String first = affinity.choose(nodes, Optional.of(42L)).nodeId();
    for (int i = 0; i < 20; i++) {
      assertEquals(first, affinity.choose(nodes, Optional.of(42L)).nodeId());
    }
  }

  @Test
  void choose_spreadsRoomsRoughlyEvenly() {
    Map<String, Integer> counts = new HashMap<>();
    place(new RoomAffinity(new RoundRobin()), Nodes.nodes(4))
        .values()
        .forEach(n -> counts.merge(n, 1, Integer::sum));
    assertEquals(4, counts.size());
    for (int count : counts.values()) {
      // 2,500 each if perfectly even; 160 points per node keep every node within ±20%.
      assertTrue(count > 2_000 && count < 3_000, counts.toString());
    }
  }

  @Test
  void nodeLeaving_movesOnlyItsOwnRooms() {
    RoomAffinity affinity = new RoomAffinity(new RoundRobin());
    Map<Long, String> before = place(affinity, Nodes.nodes(4));
    List<NodeInfo> three = new ArrayList<>(Nodes.nodes(4));
    three.remove(2); // node-3 leaves
    Map<Long, String> after = place(affinity, three);
    int moved = 0;
    for (long room = 1; room <= ROOMS; room++) {
      if (!before.get(room).equals(after.get(room))) {
        moved++;
        assertEquals("node-3", before.get(room), "a room moved that node-3 did not own");
      }
    }
    // About 1/4 of the rooms lived on node-3.
    assertTrue(moved > ROOMS / 5 && moved < ROOMS * 3 / 10, "moved " + moved);
  }

  @Test
  void nodeJoining_takesAboutOneNthOfTheRooms() {
    RoomAffinity affinity = new RoomAffinity(new RoundRobin());
    Map<Long, String> before = place(affinity, Nodes.nodes(4));
    Map<Long, String> after = place(affinity, Nodes.nodes(5));
    int moved = 0;
    for (long room = 1; room <= ROOMS; room++) {
      if (!before.get(room).equals(after.get(room))) {
        moved++;
        assertEquals("node-5", after.get(room), "a room moved between two old nodes");
      }
    }
    assertTrue(moved > ROOMS / 7 && moved < ROOMS / 4, "moved " + moved);
  }

  @Test
  void choose_withoutARoomUsesTheFallback() {
    RoomAffinity affinity = new RoomAffinity(new RoundRobin());
    List<NodeInfo> nodes = Nodes.nodes(2);
    assertEquals("node-1", affinity.choose(nodes, Optional.empty()).nodeId());
    assertEquals("node-2", affinity.choose(nodes, Optional.empty()).nodeId());
  }
}
