package dev.parley.gateway.discovery;

import dev.parley.common.node.NodeInfo;
import dev.parley.common.node.NodeRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Probes every registered node's readiness endpoint ({@code /health/ready}) on a timer. A node that
 * fails {@code parley.gateway.health.failures} probes in a row (no answer within the timeout, or
 * not 200) is unhealthy until a probe succeeds again; one slow answer on a busy machine does not
 * take a node out. A node not probed yet counts as healthy, so a new node is routable at once.
 */
@ApplicationScoped
public class NodeHealth {

  private static final System.Logger LOG = System.getLogger(NodeHealth.class.getName());

  @Inject NodeRegistry registry;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "parley.gateway.health.interval", defaultValue = "PT2S")
  Duration interval;

  @Inject
  @ConfigProperty(name = "parley.gateway.health.timeout", defaultValue = "PT2S")
  Duration timeout;

  @Inject
  @ConfigProperty(name = "parley.gateway.health.failures", defaultValue = "2")
  int failuresToUnhealthy;

  /** Failed probes in a row, per node id. */
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  private HttpClient http;
  private ScheduledFuture<?> task;

  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // HTTP/1.1: the default HTTP/2 upgrade attempt on plain http can stall against Grizzly.
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    // Not at once: this event comes while the web module is still starting, and a probe then
    // loaded the Consul client's classes through a class loader whose jars were closed under it
    // ("zip file closed"): the class's static initialiser failed for good and the gateway never
    // saw a node (seen once in CI). One interval later the application has started.
    task =
        scheduler.scheduleWithFixedDelay(
            this::probeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the node passed its last probe (true while it has not been probed yet). */
  public boolean isHealthy(String nodeId) {
    return failures.getOrDefault(nodeId, 0) < failuresToUnhealthy;
  }

  /** The registered nodes that are healthy. */
  public List<NodeInfo> healthyNodes(List<NodeInfo> registered) {
    return registered.stream().filter(n -> isHealthy(n.nodeId())).toList();
  }

  void probeAll() {
    try {
      List<NodeInfo> nodes = registry.liveNodes();
      Set<String> ids = nodes.stream().map(NodeInfo::nodeId).collect(Collectors.toSet());
      failures.keySet().retainAll(ids);
      for (NodeInfo node : nodes) {
        probe(node);
      }
    } catch (RuntimeException e) {
      // The timer must survive a registry hiccup; the last known states stay in force.
      LOG.log(Level.WARNING, "node health probe round failed: {0}", e.toString());
    }
  }

  private void probe(NodeInfo node) {
    URI ready;
    try {
      ready = readinessUri(node.url());
    } catch (IllegalArgumentException e) {
      record(node.nodeId(), false, "unusable URL " + node.url());
      return;
    }
    http.sendAsync(
            HttpRequest.newBuilder(ready).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (resp, failure) ->
                record(
                    node.nodeId(),
                    failure == null && resp.statusCode() == 200,
                    failure == null ? "HTTP " + resp.statusCode() : failure.toString()));
  }

  private void record(String nodeId, boolean ok, String detail) {
    boolean before = isHealthy(nodeId);
    failures.merge(nodeId, ok ? 0 : 1, (old, one) -> one == 0 ? 0 : old + 1);
    boolean after = isHealthy(nodeId);
    if (before != after) {
      LOG.log(
          after ? Level.INFO : Level.WARNING,
          "node {0} is {1} ({2})",
          nodeId,
          after ? "healthy again" : "unhealthy",
          detail);
    }
  }

  /**
   * {@code ws://host:port/…} → {@code http://host:port/health/ready} (wss → https): Payara serves
   * MicroProfile Health at the server's root, whatever the application's context root.
   */
  static URI readinessUri(String webSocketUrl) {
    URI ws = URI.create(webSocketUrl);
    String scheme =
        switch (String.valueOf(ws.getScheme())) {
          case "ws" -> "http";
          case "wss" -> "https";
          default -> throw new IllegalArgumentException("not a WebSocket URL: " + webSocketUrl);
        };
    return URI.create(scheme + "://" + ws.getRawAuthority() + "/health/ready");
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
