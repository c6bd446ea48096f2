package dev.parley.imnode.endpoint;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.glassfish.tyrus.core.HandshakeException;

/**
 * Hands the container one {@link ChatEndpoint} for every connection instead of a new one each: the
 * endpoint keeps no per-connection state (that lives in the session and in {@code Connection}), and
 * a CDI-injected instance per connection costs a few kilobytes of injection bookkeeping for the
 * connection's life.
 *
 * <p>On the standalone listener ({@link StandaloneListener}) there is no servlet filter: here the
 * handshake is checked by {@link HandshakePolicy} and the token's holder is put into the session's
 * user properties (Tyrus gives each handshake its own copy). A refusal is thrown as Tyrus' {@link
 * HandshakeException}, which Tyrus answers with its status (and no body).
 */
public class SharedEndpoint extends ServerEndpointConfig.Configurator {

  /** The session user property that carries the {@link HandshakePrincipal} on the listener. */
  static final String PRINCIPAL = HandshakePrincipal.class.getName();

  private volatile Object shared;
  private volatile HandshakePolicy policy;

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    Object instance = shared;
    if (instance == null) {
      synchronized (this) {
        instance = shared;
        if (instance == null) {
          instance = CDI.current().select(endpointClass).get();
          shared = instance;
        }
      }
    }
    if (!endpointClass.isInstance(instance)) {
      throw new InstantiationException("one shared instance serves " + instance.getClass());
    }
    return endpointClass.cast(instance);
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    if (request.getUserPrincipal() instanceof HandshakePrincipal) {
      return; // The servlet path: HandshakeFilter has checked it.
    }
    HandshakePolicy.Verdict verdict =
        policy()
            .examine(
                first(request.getHeaders().get("Origin")),
                first(request.getParameterMap().get("access_token")),
                first(request.getHeaders().get("Authorization")));
    if (verdict instanceof HandshakePolicy.Refused refused) {
      refused.headers().forEach((name, value) -> response.getHeaders().put(name, List.of(value)));
      throw StandaloneListener.refusal(refused);
    }
    config.getUserProperties().put(PRINCIPAL, ((HandshakePolicy.Admitted) verdict).principal());
  }

  private HandshakePolicy policy() {
    HandshakePolicy p = policy;
    if (p == null) {
      p = CDI.current().select(HandshakePolicy.class).get();
      policy = p;
    }
    return p;
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
