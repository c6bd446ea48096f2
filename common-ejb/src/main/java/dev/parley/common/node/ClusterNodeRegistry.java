package dev.parley.common.node;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.parley.common.protocol.ServerFrames;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node registry of the embedded profile: a map in the Payara/Hazelcast cluster whose entries
 * expire unless their node heart-beats. Values are JSON text so that no application class has to
 * cross class loaders inside Hazelcast.
 *
 * <p>Whoever reads the list (the gateway, on every {@code /api/route}) reads a local copy, kept up
 * to date by the map's events (a withdrawn node is gone from it within milliseconds) and read whole
 * again at most every {@code ttl} in case an event was missed. Reading the map's values on every
 * route was a query on every member of the cluster, answered last by the busiest node: in a
 * reconnect storm it set the pace at which clients came back.
 */
@ApplicationScoped
@Typed(ClusterNodeRegistry.class)
public class ClusterNodeRegistry implements NodeRegistry {

  static final String MAP_NAME = "parley.nodes";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  /** How long a node stays listed after its last heartbeat. */
  @Inject
  @ConfigProperty(name = "parley.node.registry.ttl", defaultValue = "PT15S")
  Duration ttl;

  /** The registry as last heard: node id to its entry. */
  private final Map<String, NodeInfo> known = new ConcurrentHashMap<>();

  private volatile UUID listener;
  private volatile long readAt;

  @Override
  public void announce(NodeInfo node) {
    nodes().put(node.nodeId(), encode(node), ttl.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void withdraw(String nodeId) {
    nodes().remove(nodeId);
  }

  @Override
  public List<NodeInfo> liveNodes() {
    watch();
    Instant oldest = Instant.now().minus(ttl);
    List<NodeInfo> live = new ArrayList<>();
    for (NodeInfo node : known.values()) {
      if (node.lastSeen().isAfter(oldest)) {
        live.add(node);
      }
    }
    return live;
  }

  /**
   * Listens to the map from the first read on (nodes that only announce never listen), and reads it
   * whole on the first read and every {@code ttl} after.
   */
  private void watch() {
    long now = System.nanoTime();
    if (listener != null && now - readAt < ttl.toNanos()) {
      return;
    }
    synchronized (known) {
      if (listener == null) {
        listener = nodes().addEntryListener(new Changes(), true);
      } else if (now - readAt < ttl.toNanos()) {
        return;
      }
      // After the listener is in place, so that no change falls between the two; an entry the
      // read brings back after its removal event is dropped by the lastSeen filter within ttl.
      Map<String, String> all = Map.copyOf(nodes());
      known.keySet().retainAll(all.keySet());
      all.forEach((id, value) -> known.put(id, decode(value)));
      readAt = System.nanoTime();
    }
  }

  @PreDestroy
  void stop() {
    UUID id = listener;
    if (id != null) {
      try {
        nodes().removeEntryListener(id);
      } catch (RuntimeException e) {
        // Hazelcast is already shutting down with the server: nothing left to remove.
      }
    }
  }

  /** The map's changes, applied to the local copy (per node id in the order they happened). */
  private final class Changes
      implements EntryAddedListener<String, String>,
          EntryUpdatedListener<String, String>,
          EntryRemovedListener<String, String>,
          EntryExpiredListener<String, String>,
          EntryEvictedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      known.put(event.getKey(), decode(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      known.put(event.getKey(), decode(event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      known.remove(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      known.remove(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      known.remove(event.getKey());
    }
  }

  private IMap<String, String> nodes() {
    return hazelcast.getMap(MAP_NAME);
  }

  static String encode(NodeInfo node) {
    return ServerFrames.object()
        .add("nodeId", node.nodeId())
        .add("url", node.url())
        .add("connections", node.connections())
        .add("queued", node.queued())
        .add("lastSeen", node.lastSeen().toEpochMilli())
        .build()
        .toString();
  }

  static NodeInfo decode(String json) {
    JsonObject o = ServerFrames.parseObject(json);
    return new NodeInfo(
        o.getString("nodeId"),
        o.getString("url"),
        o.getInt("connections"),
        o.getInt("queued", 0),
        Instant.ofEpochMilli(o.getJsonNumber("lastSeen").longValue()));
  }
}
