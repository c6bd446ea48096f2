package dev.parley.imnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Carries pushes between nodes: every node listens on a Hazelcast topic of its own ({@code
 * parley.node.<node id>}), and a push is published only on the topics of the nodes it is for. A
 * topic delivers each publisher's messages in order, on one listener thread, so a node hands pushes
 * to delivery in the order every single publisher sent them — also for pushes to everyone, which go
 * through the same per-node topics. Payloads are JSON text, or that text compressed ({@link
 * PushCompression}, above {@code parley.imnode.cluster.compress-above} characters): no application
 * class crosses Hazelcast's class loaders.
 */
@ApplicationScoped
public class ClusterBus {

  private static final System.Logger LOG = System.getLogger(ClusterBus.class.getName());
  static final String TOPIC_PREFIX = "parley.node.";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Inject Event<PushArrived> arrived;
  @Inject NodeDirectory directory;
  @Inject Interest interest;

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.compress-above", defaultValue = "1024")
  int compressAbove;

  private PushCompression compression;
  private final Map<String, ITopic<Object>> topics = new ConcurrentHashMap<>();
  private final LongAdder compressed = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder failedPublishes = new LongAdder();
  private ITopic<Object> own;
  private UUID registration;

  void start(
      @Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object ignored) {
    // A node that restarts under the same id starts with no followers.
    interest.forgetNode(directory.self());
    compression = new PushCompression(compressAbove);
    own = topic(directory.self());
    registration = own.addMessageListener(message -> receive(message.getMessageObject()));
    LOG.log(Level.INFO, "listening for pushes on cluster topic {0}", own.getName());
  }

  /** Publishes {@code push} to the nodes {@code nodes}, encoded once. */
  public void publish(Push push, Collection<String> nodes) {
    if (nodes.isEmpty()) {
      return;
    }
    Object payload = compression.encode(push.encode());
    if (payload instanceof byte[]) {
      compressed.increment();
    }
    for (String node : nodes) {
      try {
        topic(node).publish(payload);
        published.increment();
      } catch (RuntimeException e) {
        // One node leaving (draining, dead) must not cost the others their copy; its clients
        // reconnect and sync.
        failedPublishes.increment();
        LOG.log(Level.WARNING, "push to node {0} failed: {1}", node, e.toString());
      }
    }
  }

  /** Publishes to some node's topic that threw (the node was leaving): the others still got it. */
  public long failedPublishes() {
    return failedPublishes.sum();
  }

  /** Publishes {@code push} to every live node. */
  public void broadcast(Push push) {
    publish(push, directory.liveNodes());
  }

  /** Pushes this node has published to some node's topic (one per receiving node). */
  public long published() {
    return published.sum();
  }

  /** Pushes that have arrived on this node's topic. */
  public long received() {
    return received.sum();
  }

  /** Pushes this node has published compressed (once per push, whatever the number of nodes). */
  public long compressed() {
    return compressed.sum();
  }

  private ITopic<Object> topic(String node) {
    return topics.computeIfAbsent(node, n -> hazelcast.getTopic(TOPIC_PREFIX + n));
  }

  private void receive(Object payload) {
    received.increment();
    try {
      arrived.fire(new PushArrived(Push.decode(PushCompression.decode(payload))));
    } catch (RuntimeException e) {
      // A bad push must not stop the listener thread that carries every later one.
      LOG.log(Level.ERROR, "could not deliver a push from the cluster", e);
    }
  }

  void departed(@Observes NodeDeparted event) {
    ITopic<Object> gone = topics.remove(event.nodeId());
    if (gone != null) {
      LOG.log(Level.DEBUG, "forgot the topic of node {0}", event.nodeId());
    }
  }

  @PreDestroy
  void stop() {
    if (own != null && registration != null) {
      try {
        own.removeMessageListener(registration);
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "topic listener already gone: {0}", e.toString());
      }
    }
  }
}
