package dev.parley.imnode.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
 * time-to-live in a cluster map and renews it on a timer. A node that stops deletes its entry and
 * every node hears {@link NodeDeparted} at once. An entry that merely vanished (expired, or missing
 * at a renewal) is only a suspicion: renewals stall while the cluster recovers from a member that
 * vanished (partition operations wait for the new owner), so a live node's entry can lapse. The
 * node is declared departed only if its entry is still missing after a grace period; the declaring
 * node first leaves a tombstone, so that a node which finds its own entry gone knows whether it was
 * declared departed (what other nodes kept for it was dropped, pushes may have passed it by: it
 * hears {@link NodeRevived} and makes its clients resync) or only lapsed unnoticed (nothing to
 * repair).
 *
 * <p>Node ids, not Hazelcast member UUIDs: member UUIDs change when Payara's start-up split brain
 * merges.
 */
@ApplicationScoped
public class NodeDirectory {

  private static final System.Logger LOG = System.getLogger(NodeDirectory.class.getName());
  static final String MAP_NAME = "parley.nodes.live";
  static final String TOMBSTONES = "parley.nodes.departed";
  private static final long TOMBSTONE_TTL_MINUTES = 10;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  /** Renewals and departure checks: short tasks only, so that a renewal is never late. */
  @Resource ManagedScheduledExecutorService scheduler;

  /**
   * The clean-up after a departure (seconds for thousands of entries). On the scheduler it once
   * held up this node's own renewals until its entry lapsed.
   */
  @Resource ManagedExecutorService executor;

  @Inject
  @ConfigProperty(name = "parley.imnode.node.id")
  String nodeId;

  @Inject Event<NodeDeparted> departed;
  @Inject Event<NodeRevived> revived;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.node-ttl", defaultValue = "PT20S")
  Duration ttl;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.departure-grace", defaultValue = "PT10S")
  Duration grace;

  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Set<String> suspected = ConcurrentHashMap.newKeySet();
  private UUID listener;
  private ScheduledFuture<?> renewal;
  private volatile boolean leaving;

  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    listener = live().addEntryListener(new Departures(), false);
    known.addAll(live().keySet());
    // A node starting under an id that was declared departed is new: nothing of it to repair.
    tombstones().delete(nodeId);
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

  /**
   * The nodes this node knows to be alive, this one included, without asking the cluster: those
   * whose entries it has seen appear and not yet seen depart (a suspected node is still in). Kept
   * by the directory's entry events and renewals; a node joining is known to the others long before
   * the gateway routes a client to it (its readiness probe comes after its entry).
   */
  public Set<String> knownNodes() {
    Set<String> nodes = new TreeSet<>(known);
    if (!leaving) {
      nodes.add(nodeId);
    }
    return nodes;
  }

  public String self() {
    return nodeId;
  }

  void renew() {
    if (leaving) {
      return;
    }
    try {
      Long previous =
          live().put(nodeId, System.currentTimeMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS);
      // Expiry events may come late (or not at all for a record on a member that died with
      // it): a node missing from the map at a renewal is suspected too.
      Set<String> now = live().keySet();
      for (String node : List.copyOf(known)) {
        if (!now.contains(node)) {
          suspect(node);
        }
      }
      known.addAll(now);
      if (previous == null) {
        // Entry first, tombstone second; a declaring node writes its tombstone first and checks
        // the entry second, so at least one of the two sees the other.
        if (tombstones().remove(nodeId) != null) {
          LOG.log(
              Level.WARNING,
              "node {0} had been declared departed by the cluster; making its clients resync",
              nodeId);
          revived.fire(new NodeRevived(nodeId));
        } else {
          LOG.log(
              Level.WARNING,
              "node {0} found its directory entry lapsed (renewals stalled); renewed it, no node"
                  + " had declared it departed",
              nodeId);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not renew node {0}: {1}", nodeId, e.toString());
    }
  }

  /** Leaves the directory now (the node is stopping); the other nodes hear it at once. */
  public void leave() {
    stop();
  }

  @PreDestroy
  void stop() {
    if (leaving) {
      return;
    }
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

  private IMap<String, Long> tombstones() {
    return hazelcast.getMap(TOMBSTONES);
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
      // Only a stopping node deletes its entry.
      gone(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, Long> event) {
      suspect(event.getKey());
    }
  }

  /** The node ids whose entries vanished and whose departure is being confirmed. */
  Set<String> suspected() {
    return Set.copyOf(suspected);
  }

  private void suspect(String node) {
    if (leaving || node.equals(nodeId) || !known.contains(node) || !suspected.add(node)) {
      return;
    }
    LOG.log(
        Level.INFO, "node {0} is missing from the node directory; confirming in {1}", node, grace);
    scheduler.schedule(() -> confirm(node), grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Declares a suspected node departed if its entry is still missing: tombstone first, so that the
   * node, should it renew after all, learns that it was declared departed.
   */
  void confirm(String node) {
    if (!suspected.remove(node) || leaving) {
      return;
    }
    try {
      tombstones().set(node, System.currentTimeMillis(), TOMBSTONE_TTL_MINUTES, TimeUnit.MINUTES);
      if (live().containsKey(node)) {
        tombstones().delete(node);
        known.add(node);
        LOG.log(Level.INFO, "node {0} renewed its directory entry in time; still a member", node);
        return;
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "could not confirm the departure of node {0}: {1}", node, e.toString());
      suspected.add(node);
      scheduler.schedule(() -> confirm(node), grace.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    gone(node);
  }

  /** Announces a node's departure once, whichever way it was noticed first. */
  private void gone(String node) {
    suspected.remove(node);
    if (leaving || node.equals(nodeId) || !known.remove(node)) {
      return;
    }
    LOG.log(Level.INFO, "node {0} left the cluster", node);
    // Off Hazelcast's event thread and off the scheduler: the observers make many blocking
    // cluster calls.
    executor.execute(
        () -> {
          try {
            departed.fire(new NodeDeparted(node));
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "could not clean up after node " + node, e);
          }
        });
  }
}
