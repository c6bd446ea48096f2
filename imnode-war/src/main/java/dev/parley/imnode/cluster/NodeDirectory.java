package dev.parley.imnode.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The IM nodes alive in the cluster, by configured node id: each node keeps an entry with a
 * time-to-live in a cluster map and renews it on a timer. When an entry goes (a node stopped, or
 * was killed and its entry expired), every node hears {@link NodeDeparted} and drops what it kept
 * for that node. A node that finds its own entry gone was declared dead while it lived (a long
 * pause, a partition): pushes may have passed it by, so it hears {@link NodeRevived} and makes its
 * clients resync.
 *
 * <p>Node ids, not Hazelcast member UUIDs: member UUIDs change when Payara's start-up split brain
 * merges.
 */
@ApplicationScoped
public class NodeDirectory {

  private static final System.Logger LOG = System.getLogger(NodeDirectory.class.getName());
  static final String MAP_NAME = "parley.nodes.live";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "parley.imnode.node.id")
  String nodeId;

  @Inject Event<NodeDeparted> departed;
  @Inject Event<NodeRevived> revived;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.node-ttl", defaultValue = "PT20S")
  Duration ttl;

  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private UUID listener;
  private ScheduledFuture<?> renewal;
  private volatile boolean leaving;

  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    listener = live().addEntryListener(new Departures(), false);
    known.addAll(live().keySet());
    live().set(nodeId, System.currentTimeMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS);
    long every = Math.max(1000, ttl.toMillis() / 4);
    renewal = scheduler.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "node {0} joined the node directory", nodeId);
  }

  /** The ids of the nodes alive now, this one included. */
  public Set<String> liveNodes() {
    Set<String> nodes = new TreeSet<>(live().keySet());
    if (!leaving) {
      nodes.add(nodeId);
    }
    return nodes;
  }

  public String self() {
    return nodeId;
  }

  private void renew() {
    if (leaving) {
      return;
    }
    try {
      Long previous =
          live().put(nodeId, System.currentTimeMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS);
      // Expiry events may come late (or not at all for a record on a member that died with
      // it): a node missing from the map at a renewal has departed too.
      Set<String> now = live().keySet();
      for (String node : List.copyOf(known)) {
        if (!now.contains(node)) {
          gone(node);
        }
      }
      known.addAll(now);
      if (previous == null) {
        LOG.log(
            Level.WARNING,
            "node {0} had been declared gone by the cluster; making its clients resync",
            nodeId);
        revived.fire(new NodeRevived(nodeId));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not renew node {0}: {1}", nodeId, e.toString());
    }
  }

  @PreDestroy
  void stop() {
    leaving = true;
    if (renewal != null) {
      renewal.cancel(false);
    }
    try {
      if (listener != null) {
        live().removeEntryListener(listener);
      }
      live().delete(nodeId);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "node directory already gone: {0}", e.toString());
    }
  }

  private IMap<String, Long> live() {
    return hazelcast.getMap(MAP_NAME);
  }

  private final class Departures
      implements EntryAddedListener<String, Long>,
          EntryRemovedListener<String, Long>,
          EntryExpiredListener<String, Long> {

    @Override
    public void entryAdded(EntryEvent<String, Long> event) {
      known.add(event.getKey());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Long> event) {
      gone(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, Long> event) {
      gone(event.getKey());
    }
  }

  /** Announces a node's departure once, whichever way it was noticed first. */
  private void gone(String node) {
    if (leaving || node.equals(nodeId) || !known.remove(node)) {
      return;
    }
    LOG.log(Level.INFO, "node {0} left the cluster", node);
    // Off Hazelcast's event thread: the observers make blocking cluster calls.
    scheduler.execute(
        () -> {
          try {
            departed.fire(new NodeDeparted(node));
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "could not clean up after node " + node, e);
          }
        });
  }
}
