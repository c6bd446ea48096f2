package dev.parley.imnode.endpoint;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.core.ComponentProvider;
import org.glassfish.tyrus.core.HandshakeException;
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

  private TyrusServerContainer server;

  @PostConstruct
  void start() {
    if (port.isEmpty()) {
      return;
    }
    TyrusServerContainer container = newContainer();
    try {
      container.addEndpoint(ChatEndpoint.class);
      container.start("/", port.get());
    } catch (DeploymentException | IOException e) {
      throw new IllegalStateException("cannot listen on port " + port.get(), e);
    }
    server = container;
    LOG.log(Level.INFO, "standalone WebSocket listener on port {0}", port.get());
  }

  /**
   * A Tyrus container of this war's own Tyrus. Tyrus looks up its component providers with the
   * thread's context class loader, through which the server's Tyrus CDI provider is visible too: a
   * class of the server's Tyrus, which this war's Tyrus cannot use (ClassCastException). While the
   * container is made, that lookup is shown an empty list instead; its endpoint is then created by
   * the configurator ({@link SharedEndpoint}), which takes it from CDI.
   */
  private static TyrusServerContainer newContainer() {
    Thread thread = Thread.currentThread();
    ClassLoader war = thread.getContextClassLoader();
    thread.setContextClassLoader(new NoComponentProviders(war));
    try {
      return (TyrusServerContainer) new GrizzlyServerContainer().createContainer(Map.of());
    } finally {
      thread.setContextClassLoader(war);
    }
  }

  /** Hides the service files of Tyrus component providers; everything else comes from the war. */
  private static final class NoComponentProviders extends ClassLoader {
    private static final String SERVICES = "META-INF/services/" + ComponentProvider.class.getName();

    NoComponentProviders(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      if (!SERVICES.equals(name)) {
        return super.getResources(name);
      }
      // One empty list: with none at all, Tyrus would look again with its own class loader.
      URL empty =
          new URL(
              null,
              "parley:no-component-providers",
              new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                  return new URLConnection(url) {
                    @Override
                    public void connect() {}

                    @Override
                    public InputStream getInputStream() {
                      return InputStream.nullInputStream();
                    }
                  };
                }
              });
      return Collections.enumeration(List.of(empty));
    }
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
