package dev.parley.common.node;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.NotRegisteredException;
import org.kiwiproject.consul.cache.CacheDescriptor;
import org.kiwiproject.consul.cache.ServiceHealthCache;
import org.kiwiproject.consul.cache.ServiceHealthKey;
import org.kiwiproject.consul.config.CacheConfig;
import org.kiwiproject.consul.config.ClientConfig;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.monitoring.ClientEventCallback;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The node registry of the Consul profile. Each IM node is an instance of one Consul service
 * (service id = node id, address and port from its WebSocket URL) with a TTL check.
 *
 * <p>{@link #announce} registers the instance and passes its TTL check. The load lives in the
 * instance's service meta ({@code url}, {@code connections}, {@code queued}, {@code seen} in epoch
 * milliseconds), so every announce re-registers the instance: Consul copies a re-registration to
 * its catalog at once and keeps the check's status. The check output repeats the load for people
 * reading Consul, but nothing parses it, because Consul copies the output of a check whose status
 * did not change to the catalog only every {@code check_update_interval} (five minutes by default).
 *
 * <p>{@link #liveNodes} reads the passing instances from a blocking-query cache of Consul's health
 * API, started by the first call (which waits up to five seconds for Consul's first answer).
 * Changes arrive as soon as Consul sees them. While Consul does not answer, it keeps returning the
 * last list Consul gave, logs one warning, and retries every one to five seconds; nodes that die
 * meanwhile are the gateway's health probes' to catch.
 *
 * <p>Thread-safe. {@link #announce} never throws for an unreachable Consul (it logs, and the next
 * heartbeat retries); {@link #withdraw} does, so that its caller knows the node may still be
 * listed.
 */
@ApplicationScoped
@Typed(ConsulNodeRegistry.class)
public class ConsulNodeRegistry implements NodeRegistry {

  private static final System.Logger LOG = System.getLogger(ConsulNodeRegistry.class.getName());

  static final String META_URL = "url";
  static final String META_CONNECTIONS = "connections";
  static final String META_QUEUED = "queued";
  static final String META_SEEN = "seen";

  /** Consul refuses service meta values longer than this. */
  static final int MAX_META_VALUE = 512;

  /** How long one blocking query waits for a change before Consul answers "unchanged". */
  private static final Duration WATCH = Duration.ofSeconds(5);

  /** consul-client refuses a watch that is not shorter than the read timeout. */
  private static final Duration READ_TIMEOUT = WATCH.multipliedBy(2);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration FIRST_ANSWER = Duration.ofSeconds(5);
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  /** The local Consul agent's HTTP API. */
  @Inject
  @ConfigProperty(name = "parley.node.consul.url", defaultValue = "http://127.0.0.1:8500")
  URI url;

  /** The Consul service every IM node is an instance of. */
  @Inject
  @ConfigProperty(name = "parley.node.consul.service", defaultValue = "parley-imnode")
  String service;

  /** How long a node stays passing after its last heartbeat. */
  @Inject
  @ConfigProperty(name = "parley.node.consul.check-ttl", defaultValue = "PT10S")
  Duration checkTtl;

  /** How long Consul keeps a node whose check is critical before removing it altogether. */
  @Inject
  @ConfigProperty(name = "parley.node.consul.deregister-after", defaultValue = "PT1M")
  Duration deregisterAfter;

  private Consul consul;

  /** Serialises agent calls with {@link #close}, so that nothing is re-registered after it. */
  private final Object agentCalls = new Object();

  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean agentFailing = new AtomicBoolean();
  private volatile boolean closed;

  private ServiceHealthCache cache; // guarded by this
  private final AtomicReference<List<NodeInfo>> nodes = new AtomicReference<>(List.of());
  private final Set<String> unusable = ConcurrentHashMap.newKeySet();
  private final CountDownLatch firstAnswer = new CountDownLatch(1);
  private final AtomicBoolean watchFailing = new AtomicBoolean();

  /** For CDI: the settings are injected, then {@link #connect} runs. */
  public ConsulNodeRegistry() {}

  /** Outside a container. */
  ConsulNodeRegistry(URI url, String service, Duration checkTtl, Duration deregisterAfter) {
    this.url = url;
    this.service = service;
    this.checkTtl = checkTtl;
    this.deregisterAfter = deregisterAfter;
    connect();
  }

  @PostConstruct
  void connect() {
    CacheConfig watching =
        CacheConfig.builder()
            .withWatchDuration(WATCH)
            .withBackOffDelay(MIN_RETRY, MAX_RETRY)
            // WatchEvents warns once per outage; consul-client would log every retry.
            .withRefreshErrorLoggedAs(
                (slf4j, message, error) ->
                    LOG.log(Level.DEBUG, "{0}: {1}", message, String.valueOf(error)))
            .build();
    consul =
        Consul.builder()
            .withUrl(url.toString())
            .withPing(false) // Consul may start after us; announce and the cache retry.
            .withConnectTimeoutMillis(CONNECT_TIMEOUT.toMillis())
            .withReadTimeoutMillis(READ_TIMEOUT.toMillis())
            .withWriteTimeoutMillis(READ_TIMEOUT.toMillis())
            .withClientConfiguration(new ClientConfig(watching))
            .withClientEventCallback(new WatchEvents())
            .build();
  }

  @Override
  public void announce(NodeInfo node) {
    Registration registration = registration(node);
    synchronized (agentCalls) {
      if (closed) {
        LOG.log(Level.DEBUG, "registry closed; node {0} not announced", node.nodeId());
        return;
      }
      try {
        consul.agentClient().register(registration);
        consul.agentClient().pass(node.nodeId(), checkOutput(node));
      } catch (ConsulException | NotRegisteredException e) {
        if (agentFailing.compareAndSet(false, true)) {
          LOG.log(
              Level.WARNING,
              "could not announce node {0} to Consul at {1} ({2}); retrying on every heartbeat",
              node.nodeId(),
              url,
              e.toString());
        } else {
          LOG.log(Level.DEBUG, "announce of node {0} failed again: {1}", node.nodeId(), e);
        }
        return;
      }
      if (agentFailing.compareAndSet(true, false)) {
        LOG.log(Level.INFO, "Consul at {0} takes announcements again", url);
      }
      if (announced.add(node.nodeId())) {
        LOG.log(
            Level.INFO,
            "node {0} registered with Consul at {1} as an instance of {2}, TTL {3}",
            node.nodeId(),
            url,
            service,
            checkTtl);
      }
    }
  }

  /**
   * Deregisters the node at once.
   *
   * @throws ConsulException when Consul cannot be reached; the node then stays listed until its TTL
   *     runs out
   */
  @Override
  public void withdraw(String nodeId) {
    synchronized (agentCalls) {
      if (closed) {
        // close() has already deregistered every node this registry announced.
        LOG.log(Level.DEBUG, "registry closed; node {0} already withdrawn", nodeId);
        return;
      }
      consul.agentClient().deregister(nodeId);
      announced.remove(nodeId);
    }
  }

  /**
   * The passing instances of the service as Consul last reported them; the last known list while
   * Consul does not answer. Before Consul's first answer (or first failure) every caller waits for
   * it, at most 5 s, and gets an empty list if it does not come. Never throws.
   */
  @Override
  public List<NodeInfo> liveNodes() {
    // Every caller waits for the first answer, not only the one that started the watch: a route
    // request racing the gateway's first health probe got an empty list (503) in CI.
    awaitFirstAnswer(startWatching());
    return nodes.get();
  }

  /** Starts the cache on first use; true for the one caller that started it. */
  private synchronized boolean startWatching() {
    if (cache != null || closed) {
      return false;
    }
    cache =
        ServiceHealthCache.newCache(
            consul.healthClient(), service, true, (int) WATCH.toSeconds(), QueryOptions.BLANK);
    cache.addListener(this::follow);
    cache.start();
    return true;
  }

  /** Waits (at most FIRST_ANSWER) until Consul has answered or failed once; at once after that. */
  private void awaitFirstAnswer(boolean warn) {
    try {
      if (!firstAnswer.await(FIRST_ANSWER.toMillis(), TimeUnit.MILLISECONDS) && warn) {
        LOG.log(
            Level.WARNING,
            "Consul at {0} has not answered within {1}; no nodes known yet",
            url,
            FIRST_ANSWER);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Called by the cache, on its own thread, whenever Consul reports a change. */
  private void follow(Map<ServiceHealthKey, ServiceHealth> instances) {
    List<NodeInfo> live = new ArrayList<>();
    Set<String> bad = new HashSet<>();
    for (ServiceHealth instance : instances.values()) {
      Service s = instance.getService();
      Optional<NodeInfo> node = node(s.getId(), s.getMeta());
      if (node.isPresent()) {
        live.add(node.get());
      } else {
        bad.add(s.getId());
        if (unusable.add(s.getId())) {
          LOG.log(
              Level.WARNING,
              "instance {0} of Consul service {1} has no usable node meta {2}; ignored",
              s.getId(),
              service,
              s.getMeta());
        }
      }
    }
    unusable.retainAll(bad);
    List<NodeInfo> before = nodes.getAndSet(List.copyOf(live));
    if (!ids(before).equals(ids(live))) {
      LOG.log(Level.INFO, "Consul lists nodes {0}", ids(live));
    }
    firstAnswer.countDown();
  }

  private static Set<String> ids(List<NodeInfo> nodes) {
    return nodes.stream().map(NodeInfo::nodeId).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Whether the last query of the cache failed (the list is then the last known one). */
  boolean isServingLastKnown() {
    return watchFailing.get();
  }

  /**
   * Stops the cache and deregisters the nodes this registry announced and did not withdraw (so a
   * node leaves Consul at shutdown whichever of it and its announcer the container stops first).
   */
  @PreDestroy
  void close() {
    ServiceHealthCache watching;
    synchronized (this) {
      closed = true;
      watching = cache;
    }
    if (watching != null) {
      watching.stop();
    }
    synchronized (agentCalls) {
      for (String nodeId : announced) {
        try {
          consul.agentClient().deregister(nodeId);
          LOG.log(Level.INFO, "node {0} deregistered from Consul at shutdown", nodeId);
        } catch (ConsulException e) {
          LOG.log(
              Level.WARNING,
              "could not deregister node {0} ({1}); Consul drops it when its TTL runs out",
              nodeId,
              e.toString());
        }
      }
      announced.clear();
      consul.destroy();
    }
  }

  Registration registration(NodeInfo node) {
    Address address = address(node.url());
    return ImmutableRegistration.builder()
        .id(node.nodeId())
        .name(service)
        .address(address.host())
        .port(address.port())
        .meta(meta(node))
        .check(
            ImmutableRegCheck.builder()
                .ttl(consulDuration(checkTtl))
                .deregisterCriticalServiceAfter(consulDuration(deregisterAfter))
                .notes("Passed by the node on every heartbeat; the output is its load then.")
                .build())
        .build();
  }

  /** Where Consul says a service instance is: the host and port of a ws:// or wss:// URL. */
  record Address(String host, int port) {}

  static Address address(String webSocketUrl) {
    URI uri;
    try {
      uri = new URI(webSocketUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a WebSocket URL: " + webSocketUrl, e);
    }
    int defaultPort =
        switch (String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) {
          case "ws" -> 80;
          case "wss" -> 443;
          default -> throw new IllegalArgumentException("not a WebSocket URL: " + webSocketUrl);
        };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in WebSocket URL: " + webSocketUrl);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // Consul wants a bare IPv6 address
    }
    return new Address(host, uri.getPort() == -1 ? defaultPort : uri.getPort());
  }

  static Map<String, String> meta(NodeInfo node) {
    if (node.url().length() > MAX_META_VALUE) {
      throw new IllegalArgumentException(
          "node URL longer than Consul's " + MAX_META_VALUE + "-character meta limit");
    }
    return Map.of(
        META_URL, node.url(),
        META_CONNECTIONS, Integer.toString(node.connections()),
        META_QUEUED, Integer.toString(node.queued()),
        META_SEEN, Long.toString(node.lastSeen().toEpochMilli()));
  }

  /** The node an instance's meta describes, or empty when the meta is not a node's. */
  static Optional<NodeInfo> node(String serviceId, Map<String, String> meta) {
    String url = meta.get(META_URL);
    if (serviceId == null || serviceId.isEmpty() || url == null || url.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new NodeInfo(
              serviceId,
              url,
              Integer.parseInt(String.valueOf(meta.get(META_CONNECTIONS))),
              Integer.parseInt(String.valueOf(meta.get(META_QUEUED))),
              Instant.ofEpochMilli(Long.parseLong(String.valueOf(meta.get(META_SEEN))))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String checkOutput(NodeInfo node) {
    return "connections=" + node.connections() + " queued=" + node.queued();
  }

  /** A Go duration, which is what Consul reads. */
  static String consulDuration(Duration duration) {
    return duration.toMillis() + "ms";
  }

  /** Turns the cache's outcomes into one warning per outage; runs on consul-client's thread. */
  private final class WatchEvents implements ClientEventCallback {

    @Override
    public void onCachePollingError(String client, CacheDescriptor query, Throwable error) {
      firstAnswer.countDown();
      if (watchFailing.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "Consul at {0} does not answer ({1}); serving the last known {2} node(s) until it does",
            url,
            String.valueOf(error),
            nodes.get().size());
      }
    }

    @Override
    public void onCachePollingSuccess(
        String client, CacheDescriptor query, boolean changed, Duration took) {
      if (watchFailing.compareAndSet(true, false)) {
        LOG.log(Level.INFO, "Consul at {0} answers again", url);
      }
    }
  }
}
