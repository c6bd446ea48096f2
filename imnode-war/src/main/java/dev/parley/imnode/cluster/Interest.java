package dev.parley.imnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The cluster's node-interest map: conversation id to the ids of the nodes that host at least one
 * of its followers. A push about a conversation crosses only to these nodes. Entries are added
 * before a node needs them (synchronously) and removed lazily: a superfluous entry costs one wasted
 * push, a missing one would lose a delivery.
 */
@ApplicationScoped
public class Interest {

  private static final System.Logger LOG = System.getLogger(Interest.class.getName());
  static final String MAP_NAME = "parley.interest";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  public void register(String conversation, String node) {
    map().put(conversation, node);
  }

  public void withdraw(String conversation, String node) {
    map().remove(conversation, node);
  }

  public Collection<String> nodes(String conversation) {
    return map().get(conversation);
  }

  /** Drops every entry of {@code node}: it left, or it is starting afresh under the same id. */
  public void forgetNode(String node) {
    List<Map.Entry<String, String>> stale = new ArrayList<>();
    for (Map.Entry<String, String> e : map().entrySet()) {
      if (e.getValue().equals(node)) {
        stale.add(e);
      }
    }
    stale.forEach(e -> map().remove(e.getKey(), e.getValue()));
    if (!stale.isEmpty()) {
      LOG.log(Level.INFO, "dropped {0} interest entries of node {1}", stale.size(), node);
    }
  }

  void departed(@Observes NodeDeparted event) {
    forgetNode(event.nodeId());
  }

  private MultiMap<String, String> map() {
    return hazelcast.getMultiMap(MAP_NAME);
  }
}
