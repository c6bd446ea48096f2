package dev.parley.imnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.parley.common.protocol.ServerFrames;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Publishing is done by one publisher thread, in the order {@link #publish} was called: the
 * pushes queued while it published the last ones go out together, one topic message per node (a
 * bundle, {@code {"bundle":[push, ...]}}, of up to {@code parley.imnode.cluster.bundle-max}), so
 * that under load a node pays Hazelcast's per-message cost once per bundle, not once per push, and
 * the thread that announces a message never waits on the cluster.
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

  @Inject
  @ConfigProperty(name = "parley.imnode.cluster.bundle-max", defaultValue = "256")
  int bundleMax;

  @Resource ManagedThreadFactory threads;

  /** A push encoded once, and the nodes it goes to. */
  record Outgoing(String json, Collection<String> nodes) {}

  private final ConcurrentLinkedQueue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final LongAdder bundles = new LongAdder();
  private ExecutorService publisher;

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
    publisher = Executors.newSingleThreadExecutor(threads);
    own = topic(directory.self());
    registration = own.addMessageListener(message -> receive(message.getMessageObject()));
    LOG.log(Level.INFO, "listening for pushes on cluster topic {0}", own.getName());
  }

  /**
   * Publishes {@code push} to the nodes {@code nodes}, encoded once, after every push published
   * before it; returns at once (the publisher thread sends it).
   */
  public void publish(Push push, Collection<String> nodes) {
    if (nodes.isEmpty()) {
      return;
    }
    outgoing.add(new Outgoing(push.encode(), List.copyOf(nodes)));
    if (flushScheduled.compareAndSet(false, true)) {
      ExecutorService p = publisher;
      try {
        p.execute(this::flush);
      } catch (RuntimeException stopped) {
        // Before start or while stopping: publish on this thread.
        flush();
      }
    }
  }

  /** Sends what is queued: per node, one push as it is, several as one bundle. */
  private synchronized void flush() {
    flushScheduled.set(false);
    List<Outgoing> taken = new ArrayList<>();
    Outgoing next;
    while (taken.size() < bundleMax && (next = outgoing.poll()) != null) {
      taken.add(next);
    }
    for (Map.Entry<String, List<String>> e : byNode(taken).entrySet()) {
      List<String> pushes = e.getValue();
      if (pushes.size() > 1) {
        bundles.increment();
      }
      try {
        Object payload = compression.encode(topicMessage(pushes));
        if (payload instanceof byte[]) {
          compressed.increment();
        }
        topic(e.getKey()).publish(payload);
        published.add(pushes.size());
      } catch (RuntimeException failure) {
        // One node leaving (draining, dead) must not cost the others their copy; its clients
        // reconnect and sync.
        failedPublishes.add(pushes.size());
        LOG.log(Level.WARNING, "push to node {0} failed: {1}", e.getKey(), failure.toString());
      }
    }
    if (!outgoing.isEmpty() && flushScheduled.compareAndSet(false, true)) {
      try {
        publisher.execute(this::flush);
      } catch (RuntimeException stopped) {
        flush();
      }
    }
  }

  /** Per node, the pushes for it, in the order they were published. */
  static Map<String, List<String>> byNode(List<Outgoing> pushes) {
    Map<String, List<String>> byNode = new LinkedHashMap<>();
    for (Outgoing o : pushes) {
      for (String node : o.nodes()) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(o.json());
      }
    }
    return byNode;
  }

  /** One topic message for encoded pushes: a single push as it is, several as a bundle. */
  static String topicMessage(List<String> pushes) {
    return pushes.size() == 1 ? pushes.get(0) : "{\"bundle\":[" + String.join(",", pushes) + "]}";
  }

  /** The pushes a topic message carries, in order. */
  static List<Push> pushesIn(String topicMessage) {
    JsonObject message = ServerFrames.parseObject(topicMessage);
    if (!message.containsKey("bundle")) {
      return List.of(Push.decode(message));
    }
    return message.getJsonArray("bundle").getValuesAs(JsonObject.class).stream()
        .map(Push::decode)
        .toList();
  }

  /** Topic messages that carried more than one push. */
  public long bundles() {
    return bundles.sum();
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

  /** Topic messages this node has published compressed (a push or a bundle, per node). */
  public long compressed() {
    return compressed.sum();
  }

  private ITopic<Object> topic(String node) {
    return topics.computeIfAbsent(node, n -> hazelcast.getTopic(TOPIC_PREFIX + n));
  }

  private void receive(Object payload) {
    List<Push> pushes;
    try {
      pushes = pushesIn(PushCompression.decode(payload));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "could not read a push from the cluster", e);
      return;
    }
    for (Push push : pushes) {
      deliver(push);
    }
  }

  private void deliver(Push push) {
    received.increment();
    try {
      arrived.fire(new PushArrived(push));
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
    ExecutorService p = publisher;
    if (p != null) {
      // What was published before the node stops still goes out.
      p.shutdown();
      try {
        if (!p.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.log(Level.WARNING, "pushes still queued at stop: {0}", outgoing.size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (own != null && registration != null) {
      try {
        own.removeMessageListener(registration);
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "topic listener already gone: {0}", e.toString());
      }
    }
  }
}
