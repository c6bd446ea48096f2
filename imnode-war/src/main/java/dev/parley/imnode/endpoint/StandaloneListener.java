package dev.parley.imnode.endpoint;

import dev.parley.imnode.node.NodeReadiness;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;

/**
 * Serves {@link ChatEndpoint} a second time, on {@code parley.imnode.ws.port}, from Tyrus on its
 * own Grizzly server outside the servlet container: an upgrade there does not keep the servlet
 * request graph (tens of kilobytes) alive for the connection's life. Unset, nothing listens.
 *
 * <p>Started before the node is announced and stopped after it has drained ({@code NodeAnnouncer}
 * depends on this bean), so clients are told {@code draining} before the port goes away.
 */
@Startup
@Singleton
public class StandaloneListener {

  private static final System.Logger LOG = System.getLogger(StandaloneListener.class.getName());

  @Inject
  @ConfigProperty(name = "parley.imnode.ws.port")
  Optional<Integer> port;

  @Inject
  @ConfigProperty(name = "parley.imnode.ws.worker-threads", defaultValue = "32")
  int workerThreads;

  @Inject @Readiness NodeReadiness readiness;
  @Inject HandshakePolicy policy;

  @Resource ManagedThreadFactory threads;

  private TyrusServerContainer server;
  private ScheduledThreadPoolExecutor timers;

  @PostConstruct
  void start() {
    if (port.isEmpty()) {
      return;
    }
    TyrusServerContainer container = newContainer();
    timers = new ScheduledThreadPoolExecutor(1, threads);
    timers.setRemoveOnCancelPolicy(true);
    useTimers(container, timers);
    try {
      container.addEndpoint(ChatEndpoint.class);
      container.start("/", port.get());
      HttpServer http = httpServerOf(container);
      // The gateway probes a node's readiness at the host and port of its WebSocket URL.
      http.getServerConfiguration().addHttpHandler(new ReadinessProbe(), "/health/ready");
      // The gate goes in once the chain exists, i.e. after the port is open: before the node is
      // announced, and a handshake that slipped in without it gets no principal and is closed.
      FilterChain chain = http.getListener("grizzly").getFilterChain();
      int tyrus = 0;
      while (!chain.get(tyrus).getClass().getSimpleName().equals("GrizzlyServerFilter")) {
        tyrus++;
      }
      Filter tyrusFilter = chain.get(tyrus);
      chain.add(tyrus, new HandshakeGate(policy));
      // And the codec bypass of upgraded connections, just before Grizzly's HTTP codec.
      int codec = 0;
      while (!(chain.get(codec) instanceof org.glassfish.grizzly.http.HttpServerFilter)) {
        codec++;
      }
      chain.add(codec, new UpgradedShortcut(chain, tyrusFilter));
    } catch (DeploymentException | IOException e) {
      throw new IllegalStateException("cannot listen on port " + port.get(), e);
    }
    server = container;
    LOG.log(Level.INFO, "standalone WebSocket listener on port {0}", port.get());
  }

  /**
   * The Grizzly server inside Tyrus' Grizzly container, which Tyrus does not expose: its other
   * requests need a handler of their own.
   */
  private static HttpServer httpServerOf(TyrusServerContainer container) {
    try {
      Field field = container.getClass().getDeclaredField("server");
      field.setAccessible(true);
      return (HttpServer) field.get(container);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Tyrus' Grizzly container has changed", e);
    }
  }

  /**
   * Gives Tyrus' sessions a plain scheduler instead of the server's managed one. Tyrus 2.1.5
   * re-schedules a session's idle-timeout task on every frame sent and received, even with the idle
   * timeout off ({@code TyrusSession.restartIdleTimeoutExecutor}), and a managed scheduler captures
   * the EE context for each task, a {@code ServiceLoader} scan of the class path: 40 % of a node's
   * CPU while 100,000 clients connected (JFR). On a plain scheduler a task costs a queue insert and
   * a removal. Its one thread is a managed thread, so that an idle-timeout close (were one ever
   * configured) runs with the application's context.
   */
  private static void useTimers(TyrusServerContainer container, ScheduledExecutorService timers) {
    for (Class<?> c = container.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField("managedScheduledExecutorService");
        field.setAccessible(true);
        field.set(container, timers);
        return;
      } catch (NoSuchFieldException e) {
        // further up
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Tyrus' container has changed", e);
      }
    }
    throw new IllegalStateException("Tyrus' container has changed: no managed scheduler field");
  }

  /** {@code GET /health/ready}: the node's own readiness check, 200 when up and 503 when not. */
  private final class ReadinessProbe extends HttpHandler {
    @Override
    public void service(Request request, Response response) throws IOException {
      boolean up = readiness.call().getStatus() == HealthCheckResponse.Status.UP;
      response.setStatus(up ? 200 : 503);
      response.setContentType("application/json");
      response.getWriter().write(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
  }

  /**
   * A Tyrus container whose Grizzly threads all come from the managed thread factory: Tyrus calls
   * the endpoint on them, and what it calls needs the application's context (transactions,
   * persistence contexts, the class loader) just as on the servlet container's threads. Such a
   * thread carries that context for its whole life, so a frame costs no context switch and stays on
   * the thread Tyrus (which keeps each connection's frames in order) hands it to.
   */
  private TyrusServerContainer newContainer() {
    ThreadPoolConfig workers =
        ThreadPoolConfig.defaultConfig()
            .copy()
            .setPoolName("parley-ws-worker")
            .setCorePoolSize(workerThreads)
            .setMaxPoolSize(workerThreads)
            .setThreadFactory(threads);
    int cores = Runtime.getRuntime().availableProcessors();
    ThreadPoolConfig selectors =
        ThreadPoolConfig.defaultConfig()
            .copy()
            .setPoolName("parley-ws-selector")
            .setCorePoolSize(cores)
            .setMaxPoolSize(cores)
            .setThreadFactory(threads);
    return (TyrusServerContainer)
        new GrizzlyServerContainer()
            .createContainer(
                Map.of(
                    GrizzlyServerContainer.WORKER_THREAD_POOL_CONFIG, workers,
                    GrizzlyServerContainer.SELECTOR_THREAD_POOL_CONFIG, selectors));
  }

  @PreDestroy
  void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
    if (timers != null) {
      timers.shutdownNow();
      timers = null;
    }
  }
}
