package dev.parley.imnode.presence;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
import dev.parley.imnode.connection.ConnectionClosed;
import dev.parley.imnode.connection.ConnectionOpened;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide presence: user id to {@code <member uuid>/<connection id>} entries. A node removes
 * its own entries as connections close; when a node leaves the cluster (stopped or killed), the
 * remaining nodes remove its entries. A user's first connection and last disconnection are
 * announced as {@link PresenceChanged} (users whose node died are not announced offline).
 */
@ApplicationScoped
public class OnlineUsers {

  private static final System.Logger LOG = System.getLogger(OnlineUsers.class.getName());
  static final String MAP_NAME = "parley.online";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Inject Event<PresenceChanged> changed;

  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    hazelcast
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {}

              @Override
              public void memberRemoved(MembershipEvent event) {
                removeEntriesOf(event.getMember().getUuid().toString());
              }
            });
  }

  void opened(@Observes ConnectionOpened event) {
    long user = event.connection().user().id();
    map().put(user, key(event.connection().id()));
    if (map().valueCount(user) == 1) {
      changed.fire(new PresenceChanged(event.connection().user(), true));
    }
  }

  void closed(@Observes ConnectionClosed event) {
    long user = event.connection().user().id();
    map().remove(user, key(event.connection().id()));
    if (!map().containsKey(user)) {
      changed.fire(new PresenceChanged(event.connection().user(), false));
    }
  }

  public boolean isOnline(long userId) {
    return map().containsKey(userId);
  }

  private void removeEntriesOf(String memberUuid) {
    String prefix = memberUuid + "/";
    List<Map.Entry<Long, String>> stale = new ArrayList<>();
    for (Map.Entry<Long, String> e : map().entrySet()) {
      if (e.getValue().startsWith(prefix)) {
        stale.add(e);
      }
    }
    stale.forEach(e -> map().remove(e.getKey(), e.getValue()));
    if (!stale.isEmpty()) {
      LOG.log(
          Level.INFO,
          "removed {0} presence entries of departed member {1}",
          stale.size(),
          memberUuid);
    }
  }

  private String key(String connectionId) {
    return localMember() + "/" + connectionId;
  }

  private String localMember() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  private MultiMap<Long, String> map() {
    return hazelcast.getMultiMap(MAP_NAME);
  }
}
