package dev.parley.imnode.delivery;

import dev.parley.imnode.cluster.Interest;
import dev.parley.imnode.cluster.NodeRevived;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.node.NodeIdentity;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which local connections follow which conversation, and this node's entries in the cluster's
 * {@link Interest} map. A conversation's first local follower registers the node's interest before
 * the subscription counts (synchronously, so that no push published afterwards passes the node by);
 * the interest is withdrawn only after the conversation has had no local follower for a while
 * ({@code parley.imnode.cluster.interest-linger}), so that churn costs no cluster traffic.
 * Thread-safe: a conversation's changes are serialised on one of a fixed set of locks.
 */
@ApplicationScoped
public class Subscriptions {

  private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());
  private static final int STRIPES = 64;

  @Inject Interest interest;
  @Inject NodeIdentity identity;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.interest-linger", defaultValue = "PT30S")
  Duration linger;

  private final Map<String, Set<Connection>> byConversation = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Set<String> checking = ConcurrentHashMap.newKeySet();
  private final Object[] locks = new Object[STRIPES];

  public Subscriptions() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Made with the application: created lazily by the first push from the cluster instead, on a
   * Hazelcast thread, its scheduler resource was not found there and stayed null.
   */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Creating the bean is the point.
  }

  public void subscribe(Connection connection, String conversation) {
    synchronized (lock(conversation)) {
      ensureRegistered(conversation);
      byConversation
          .computeIfAbsent(conversation, k -> ConcurrentHashMap.newKeySet())
          .add(connection);
      connection.follow(conversation);
    }
  }

  public void unsubscribe(Connection connection, String conversation) {
    connection.unfollow(conversation);
    removeFrom(conversation, connection);
  }

  /** Drops every subscription of a connection that has closed. */
  public void forget(Connection connection) {
    for (String conversation : connection.followed()) {
      connection.unfollow(conversation);
      removeFrom(conversation, connection);
    }
  }

  public Collection<Connection> subscribers(String conversation) {
    Set<Connection> set = byConversation.get(conversation);
    return set == null ? List.of() : set;
  }

  /**
   * A push about {@code conversation} reached this node, which has no follower of it: the node's
   * interest entry is stale (its followers left, or another node registered it for a user who has
   * gone since). It is withdrawn after the linger time unless a follower comes back.
   */
  public void noFollowers(String conversation) {
    withdrawLater(conversation);
  }

  /** The conversations this node has registered interest in. */
  public int interests() {
    return registered.size();
  }

  private void ensureRegistered(String conversation) {
    if (registered.add(conversation)) {
      try {
        interest.register(conversation, identity.nodeId());
      } catch (RuntimeException e) {
        registered.remove(conversation);
        throw e;
      }
    }
  }

  private void removeFrom(String conversation, Connection connection) {
    boolean last = false;
    synchronized (lock(conversation)) {
      Set<Connection> set = byConversation.get(conversation);
      if (set != null && set.remove(connection) && set.isEmpty()) {
        byConversation.remove(conversation);
        last = true;
      }
    }
    if (last) {
      withdrawLater(conversation);
    }
  }

  private void withdrawLater(String conversation) {
    if (checking.add(conversation)) {
      scheduler.schedule(
          () -> withdrawIfIdle(conversation), linger.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void withdrawIfIdle(String conversation) {
    checking.remove(conversation);
    try {
      synchronized (lock(conversation)) {
        if (!byConversation.containsKey(conversation)) {
          interest.withdraw(conversation, identity.nodeId());
          registered.remove(conversation);
        }
      }
    } catch (RuntimeException e) {
      // A stale entry only costs wasted pushes; the next one schedules another try.
      LOG.log(Level.WARNING, "could not withdraw interest in {0}: {1}", conversation, e.toString());
    }
  }

  /** The cluster dropped this node's entries while it lived: register them all again. */
  void revived(@Observes NodeRevived event) {
    for (String conversation : List.copyOf(registered)) {
      synchronized (lock(conversation)) {
        registered.remove(conversation);
        if (byConversation.containsKey(conversation)) {
          ensureRegistered(conversation);
        }
      }
    }
  }

  private Object lock(String conversation) {
    return locks[Math.floorMod(conversation.hashCode(), STRIPES)];
  }
}
