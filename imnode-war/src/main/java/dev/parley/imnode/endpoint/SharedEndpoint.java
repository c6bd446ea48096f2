package dev.parley.imnode.endpoint;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Hands the container one {@link ChatEndpoint} for every connection instead of a new one each: the
 * endpoint keeps no per-connection state (that lives in the session and in {@code Connection}), and
 * a CDI-injected instance per connection costs a few kilobytes of injection bookkeeping for the
 * connection's life.
 */
public class SharedEndpoint extends ServerEndpointConfig.Configurator {

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
}
