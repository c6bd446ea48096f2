package dev.parley.imnode.delivery;

import dev.parley.imnode.cluster.ClusterBus;
import dev.parley.imnode.cluster.Interest;
import dev.parley.imnode.cluster.NodeDirectory;
import dev.parley.imnode.cluster.Push;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.node.NodeIdentity;
import dev.parley.imnode.presence.OnlineUsers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Interest-based fan-out: which nodes a push crosses to. A push about a conversation goes to the
 * nodes in the cluster's {@link Interest} map for it (plus the nodes of a user who is joining it);
 * a push to users goes to the nodes they are connected to (to more than two: of those online); a
 * push to everyone, or to more users than {@code parley.imnode.cluster.user-lookup-limit} (a
 * presence change of a user with many contacts), goes to every live node.
 */
@ApplicationScoped
public class Routes {

  @Inject ClusterBus bus;
  @Inject Interest interest;
  @Inject NodeDirectory directory;
  @Inject OnlineUsers online;
  @Inject Subscriptions subscriptions;
  @Inject Connections connections;
  @Inject NodeIdentity identity;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.user-lookup-limit", defaultValue = "32")
  int userLookupLimit;

  /**
   * Up to how many nodes every push goes to every node, each of which finds its own receivers,
   * instead of first asking the cluster which nodes follow the conversation or host the users: that
   * question is a cluster call (or one per user) for every message, on the one thread that
   * announces them, and costs more than a few nodes reading a push they have no receiver for. Above
   * it, pushes follow the interest entries and the users' presence entries.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.broadcast-nodes", defaultValue = "8")
  int broadcastNodes;

  /** Publishes {@code push} to the nodes that need it. */
  public void send(Push push) {
    bus.publish(push, nodesFor(push));
  }

  Set<String> nodesFor(Push push) {
    if (push.everyone() || push.users().size() > userLookupLimit) {
      return directory.liveNodes();
    }
    Set<String> known = directory.knownNodes();
    if (known.size() <= broadcastNodes) {
      return known;
    }
    Set<String> nodes = new TreeSet<>();
    if (push.users().isEmpty()) {
      // To users, a conversation only names the subscription the push changes.
      push.conversation().ifPresent(c -> nodes.addAll(interest.nodes(c)));
    }
    push.joiningUser().ifPresent(u -> nodes.addAll(online.nodesOf(u)));
    for (long user : reachable(push.users())) {
      nodes.addAll(online.nodesOf(user));
    }
    return nodes;
  }

  /**
   * The users of a push worth a lookup of their nodes: one or two (a kick, a direct message) are
   * looked up as they are; of more (presence to contacts), one batched call first drops those who
   * are offline, who would each cost a cluster call for nothing.
   */
  private Collection<Long> reachable(List<Long> users) {
    return users.size() > 2 ? online.onlineAmong(users) : users;
  }

  /**
   * Makes {@code user} follow {@code conversation} before anything about it is published: this
   * node's connections of the user subscribe now, and the user's other nodes get their interest
   * entry now (they subscribe their connections when the join push arrives), so that no message
   * sent right after the join passes one of the user's devices by.
   */
  public void follow(long user, String conversation) {
    connections.ofUser(user).forEach(c -> subscriptions.subscribe(c, conversation));
    for (String node : online.nodesOf(user)) {
      if (!node.equals(identity.nodeId())) {
        interest.register(conversation, node);
      }
    }
  }

  /**
   * Makes this node's connections of {@code user} stop following {@code conversation} now, not when
   * the leave push comes back: a send right after the leave's ack is refused (a connection that
   * follows a room may send to it without a query). The push still reaches them ({@link
   * LocalDelivery} adds the leaving user's connections); the user's other nodes unsubscribe when it
   * arrives.
   */
  public void unfollow(long user, String conversation) {
    connections.ofUser(user).forEach(c -> subscriptions.unsubscribe(c, conversation));
  }
}
