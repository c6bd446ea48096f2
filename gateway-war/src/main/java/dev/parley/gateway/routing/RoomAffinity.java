package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Consistent hashing of rooms over the healthy nodes, so that members of one room tend to share a
 * node and cross-node traffic falls. Each node owns {@value #POINTS_PER_NODE} points on a ring;
 * when a node joins or leaves, only the rooms between its points and their neighbours move (about
 * 1/N of them). Clients that name no room are placed by {@code fallback}.
 */
final class RoomAffinity implements Strategy {

  static final int POINTS_PER_NODE = 160;

  private final Strategy fallback;
  private volatile Ring ring = new Ring(List.of(), new TreeMap<>());

  private record Ring(List<String> nodeIds, NavigableMap<Long, NodeInfo> points) {}

  RoomAffinity(Strategy fallback) {
    this.fallback = fallback;
  }

  @Override
  public NodeInfo choose(List<NodeInfo> healthy, Optional<Long> room) {
    if (room.isEmpty()) {
      return fallback.choose(healthy, room);
    }
    NavigableMap<Long, NodeInfo> points = ringFor(healthy).points();
    Map.Entry<Long, NodeInfo> owner = points.ceilingEntry(hash("room:" + room.get()));
    NodeInfo chosen = owner != null ? owner.getValue() : points.firstEntry().getValue();
    // The ring knows nodes by id; answer with the current entry (its URL and load).
    return healthy.stream()
        .filter(n -> n.nodeId().equals(chosen.nodeId()))
        .findFirst()
        .orElse(chosen);
  }

  private Ring ringFor(List<NodeInfo> healthy) {
    List<String> ids = healthy.stream().map(NodeInfo::nodeId).toList();
    Ring current = ring;
    if (current.nodeIds().equals(ids)) {
      return current;
    }
    NavigableMap<Long, NodeInfo> points = new TreeMap<>();
    for (NodeInfo node : healthy) {
      for (int i = 0; i < POINTS_PER_NODE; i++) {
        points.put(hash(node.nodeId() + "#" + i), node);
      }
    }
    Ring rebuilt = new Ring(ids, points);
    ring = rebuilt;
    return rebuilt;
  }

  static long hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
