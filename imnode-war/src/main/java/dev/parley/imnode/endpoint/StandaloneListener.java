package dev.parley.imnode.endpoint;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.websocket.DeploymentException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.glassfish.tyrus.core.HandshakeException;
import org.glassfish.tyrus.server.Server;

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

  private Server server;

  @PostConstruct
  void start() {
    if (port.isEmpty()) {
      return;
    }
    Server s = new Server("0.0.0.0", port.get(), "/", Map.of(), ChatEndpoint.class);
    try {
      s.start();
    } catch (DeploymentException e) {
      throw new IllegalStateException("cannot listen on port " + port.get(), e);
    }
    server = s;
    LOG.log(Level.INFO, "standalone WebSocket listener on port {0}", port.get());
  }

  @PreDestroy
  void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /**
   * Tyrus' {@link HandshakeException} for a refused handshake, thrown unchecked: {@code
   * modifyHandshake} declares no exceptions, and Tyrus answers this one with its status.
   */
  static RuntimeException refusal(HandshakePolicy.Refused refused) {
    return StandaloneListener.<RuntimeException>sneaky(
        new HandshakeException(refused.status(), refused.message()));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }
}
