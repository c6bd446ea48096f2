package dev.parley.imnode.delivery;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.cluster.NodeRevived;
import dev.parley.imnode.cluster.Push;
import dev.parley.imnode.cluster.PushArrived;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.ConnectionClosed;
import dev.parley.imnode.connection.ConnectionOpened;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.connection.OutboundFrame;
import dev.parley.imnode.node.NodeAnnouncer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Queues every push that arrives on the local connections that should see it. It runs on the
 * cluster's listener thread, in arrival order, and never blocks: {@link Connection#send} only
 * queues. A push's frame is encoded for the wire once, whatever the number of its receivers.
 */
@ApplicationScoped
public class LocalDelivery {

  @Inject Connections connections;
  @Inject Subscriptions subscriptions;

  /**
   * Up to how many receiving connections on this node a push is written by the thread that delivers
   * it, rather than handed to the node's writer threads (see {@code Connection.sendNow}).
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.delivery.direct-write-limit", defaultValue = "16")
  int directWriteLimit;

  void deliver(@Observes PushArrived arrived) {
    Push push = arrived.push();
    push.joiningUser()
        .ifPresent(
            user ->
                push.conversation()
                    .ifPresent(
                        c ->
                            connections
                                .ofUser(user)
                                .forEach(con -> subscriptions.subscribe(con, c))));
    Optional<String> except = push.exceptConnection();
    Collection<Connection> targets = targets(push);
    if (targets.isEmpty()
        && !push.everyone()
        && push.users().isEmpty()
        && push.joiningUser().isEmpty()) {
      push.conversation().ifPresent(subscriptions::noFollowers);
    }
    OutboundFrame frame = OutboundFrame.of(push.frame());
    // The sender's connection, if it is here (it gets an ack instead), compared by identity.
    Connection sender = except.flatMap(connections::find).orElse(null);
    // A few receivers (a chat room, a direct message) are written at once on this thread; to more,
    // the writers write, gathering each connection's frames under load.
    boolean now = targets.size() <= directWriteLimit;
    for (Connection c : targets) {
      if (c != sender) {
        if (now) {
          c.sendNow(frame);
        } else {
          c.send(frame);
        }
        push.closeCode().ifPresent(code -> c.close(code, "Signed in elsewhere"));
      }
    }
    push.leavingUser()
        .ifPresent(
            user ->
                push.conversation()
                    .ifPresent(
                        c ->
                            connections
                                .ofUser(user)
                                .forEach(con -> subscriptions.unsubscribe(con, c))));
  }

  private Collection<Connection> targets(Push push) {
    if (push.everyone()) {
      return connections.all();
    }
    if (!push.users().isEmpty()) {
      return push.users().stream().flatMap(u -> connections.ofUser(u).stream()).toList();
    }
    Collection<Connection> followers =
        push.conversation().map(subscriptions::subscribers).orElseGet(List::of);
    if (push.leavingUser().isEmpty()) {
      return followers;
    }
    // The node that took the leave unsubscribed the leaver's connections already (Routes.unfollow).
    Set<Connection> all = new LinkedHashSet<>(followers);
    all.addAll(connections.ofUser(push.leavingUser().get()));
    return all;
  }

  /** A new connection follows every room its user is a member of (read with its connect). */
  void opened(@Observes ConnectionOpened event) {
    Connection c = event.connection();
    for (long roomId : event.circle().roomIds()) {
      subscriptions.subscribe(c, Conversation.ofRoom(roomId).id());
    }
  }

  void closed(@Observes ConnectionClosed event) {
    subscriptions.forget(event.connection());
  }

  /**
   * The cluster took this node for dead for a while: pushes may have passed it by. Its clients
   * reconnect through the gateway and sync, as after a drain.
   */
  void revived(@Observes NodeRevived event) {
    String frame =
        ServerFrames.draining("This node lost the cluster for a while; reconnect and sync");
    for (Connection c : connections.all()) {
      c.send(frame);
      c.close(NodeAnnouncer.CLOSE_DRAINING, "Resync");
    }
  }
}
