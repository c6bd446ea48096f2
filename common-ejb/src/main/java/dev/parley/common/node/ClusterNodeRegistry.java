package dev.parley.common.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.parley.common.protocol.ServerFrames;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node registry of the embedded profile: a map in the Payara/Hazelcast cluster whose entries
 * expire unless their node heart-beats. Values are JSON text so that no application class has to
 * cross class loaders inside Hazelcast.
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
    Instant oldest = Instant.now().minus(ttl);
    List<NodeInfo> live = new ArrayList<>();
    for (String value : nodes().values()) {
      NodeInfo node = decode(value);
      if (node.lastSeen().isAfter(oldest)) {
        live.add(node);
      }
    }
    return live;
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
