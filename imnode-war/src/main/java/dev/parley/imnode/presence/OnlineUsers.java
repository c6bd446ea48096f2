package dev.parley.imnode.presence;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import dev.parley.common.protocol.UserView;
import dev.parley.common.user.UserStore;
import dev.parley.imnode.cluster.NodeDeparted;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.ConnectionOpened;
import dev.parley.imnode.node.NodeIdentity;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster-wide presence: user id to {@code <node id>/<connection id>} entries. A node removes its
 * own entries as connections close ({@link Departures}: after a grace period, so that a reconnect
 * in between shows no offline-then-online flap); when a node leaves the cluster (stopped, or killed
 * and timed out of the node directory), the remaining nodes remove its entries and announce its
 * users offline. A user's first connection is announced as {@link CameOnline}, any further
 * connection as {@link SignedInAgain}, the last disconnection as {@link WentOffline}. The entries
 * also tell on which nodes a user can be reached.
 */
@ApplicationScoped
public class OnlineUsers {

  private static final System.Logger LOG = System.getLogger(OnlineUsers.class.getName());
  static final String MAP_NAME = "parley.online";

  /**
   * The ids of the users with at least one entry in {@link #MAP_NAME}, so that the online flags of
   * a page of users are one {@code getAll} (a multimap has no batched lookup).
   */
  static final String USERS_NAME = "parley.online.users";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Inject Event<CameOnline> cameOnline;
  @Inject Event<SignedInAgain> again;
  @Inject Event<WentOffline> wentOffline;
  @Inject NodeIdentity identity;
  @Inject UserStore users;

  /**
   * Enters the presence entries of connections that opened together, then their users' online
   * flags, in a few cluster calls (one for the entries, the flags sent together): the cluster work
   * of a burst of connects ({@code Arrivals}).
   *
   * <p>Each flag is set after the connection's entry went in: a close that drops a user's last
   * entry clears the flag and then looks again ({@link #markOffline}). The flag is only ever TRUE,
   * so a put answering the previous value tells as {@code putIfAbsent} would whether it was absent:
   * of two connections of one user opening at once, exactly one finds it absent.
   *
   * @return those of {@code opened} that are their user's first connection in the cluster (to be
   *     announced online); any other is signed in again
   */
  public Set<Connection> register(List<Connection> opened) {
    Map<Long, List<String>> entries = new HashMap<>();
    for (Connection c : opened) {
      entries
          .computeIfAbsent(c.user().id(), k -> new ArrayList<>())
          .add(key(identity.nodeId(), c.id()));
    }
    map().putAllAsync(Map.copyOf(entries)).toCompletableFuture().join();
    List<CompletableFuture<Boolean>> flags = new ArrayList<>(opened.size());
    for (Connection c : opened) {
      flags.add(users().putAsync(c.user().id(), Boolean.TRUE).toCompletableFuture());
    }
    Set<Connection> first = new HashSet<>();
    for (int i = 0; i < opened.size(); i++) {
      if (flags.get(i).join() == null) {
        first.add(opened.get(i));
      }
    }
    return first;
  }

  void opened(@Observes ConnectionOpened event) {
    if (event.first()) {
      cameOnline.fire(new CameOnline(event.connection().user(), event.circle().contacts()));
    } else {
      again.fire(new SignedInAgain(event.connection()));
    }
  }

  /**
   * Removes the presence entries of connections that closed (their grace period over, {@link
   * Departures}) and tells which of their users have no connection left in the cluster: those are
   * to be announced offline. One user named several times is looked at once.
   */
  public List<UserView> leave(Collection<Departure> gone) {
    Map<Long, UserView> doubt = new LinkedHashMap<>();
    for (Departure d : gone) {
      map().remove(d.user().id(), key(identity.nodeId(), d.connectionId()));
      doubt.putIfAbsent(d.user().id(), d.user());
    }
    List<UserView> offline = new ArrayList<>();
    for (Map.Entry<Long, UserView> e : doubt.entrySet()) {
      if (!map().containsKey(e.getKey()) && markOffline(e.getKey())) {
        offline.add(e.getValue());
      }
    }
    return offline;
  }

  public boolean isOnline(long userId) {
    return map().containsKey(userId);
  }

  /** Which of {@code userIds} are online, in one cluster call. */
  public Set<Long> onlineAmong(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(users().getAll(new HashSet<>(userIds)).keySet());
  }

  /**
   * Drops the user's online flag after their last entry went. Checked again afterwards: a
   * connection that opened in between put its entry in before it looked at the flag, so either it
   * found the flag gone (and announced the user online) or the check here sees its entry, puts the
   * flag back and announces nothing: the user never went offline.
   *
   * @return whether the user is offline (to be announced)
   */
  private boolean markOffline(long user) {
    users().delete(user);
    if (map().containsKey(user)) {
      users().set(user, Boolean.TRUE);
      return false;
    }
    return true;
  }

  /** The ids of the nodes {@code userId} is connected to. */
  public Set<String> nodesOf(long userId) {
    Set<String> nodes = new TreeSet<>();
    for (String entry : map().get(userId)) {
      nodes.add(nodeOf(entry));
    }
    return nodes;
  }

  void departed(@Observes NodeDeparted event) {
    String prefix = event.nodeId() + "/";
    List<Map.Entry<Long, String>> stale = new ArrayList<>();
    for (Map.Entry<Long, String> e : map().entrySet()) {
      if (e.getValue().startsWith(prefix)) {
        stale.add(e);
      }
    }
    List<UserView> offline = new ArrayList<>();
    for (Map.Entry<Long, String> e : stale) {
      // Only the node whose removal succeeds announces, and only once the user has no entry left.
      if (map().remove(e.getKey(), e.getValue())
          && !map().containsKey(e.getKey())
          && markOffline(e.getKey())) {
        users.find(e.getKey()).ifPresent(u -> offline.add(u.view()));
      }
    }
    if (!offline.isEmpty()) {
      wentOffline.fire(new WentOffline(offline));
    }
    if (!stale.isEmpty()) {
      LOG.log(
          Level.INFO,
          "removed {0} presence entries of departed node {1}; {2} users now offline",
          stale.size(),
          event.nodeId(),
          offline.size());
    }
  }

  static String key(String node, String connectionId) {
    return node + "/" + connectionId;
  }

  static String nodeOf(String entry) {
    int slash = entry.indexOf('/');
    return slash < 0 ? entry : entry.substring(0, slash);
  }

  private MultiMap<Long, String> map() {
    return hazelcast.getMultiMap(MAP_NAME);
  }

  private IMap<Long, Boolean> users() {
    return hazelcast.getMap(USERS_NAME);
  }
}
