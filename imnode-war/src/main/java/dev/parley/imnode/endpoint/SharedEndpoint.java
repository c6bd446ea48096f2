package dev.parley.imnode.endpoint;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Hands the container one {@link ChatEndpoint} for every connection instead of a new one each: the
 * endpoint keeps no per-connection state (that lives in the session and in {@code Connection}), and
 * a CDI-injected instance per connection costs a few kilobytes of injection bookkeeping for the
 * connection's life.
 *
 * <p>On the standalone listener ({@link StandaloneListener}) the handshake was checked by {@link
 * HandshakeGate}; here the token's holder is put into the session's user properties (Tyrus gives
 * each handshake its own copy), where {@link ChatEndpoint} finds it. Without one, the endpoint
 * closes the session at once.
 */
public class SharedEndpoint extends ServerEndpointConfig.Configurator {

  /** The session user property that carries the {@link HandshakePrincipal} on the listener. */
  static final String PRINCIPAL = HandshakePrincipal.class.getName();

  private volatile Object shared;

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
    // The standalone listener: HandshakeGate has checked it, on this thread, just before.
    HandshakeGate.takeAdmitted()
        .ifPresent(principal -> config.getUserProperties().put(PRINCIPAL, principal));
  }
}
