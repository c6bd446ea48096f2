package dev.parley.common.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.List;

/** Placeholder replaced by the Consul implementation (issue 3). */
@ApplicationScoped
@Typed(ConsulNodeRegistry.class)
public class ConsulNodeRegistry implements NodeRegistry {

  @Override
  public void announce(NodeInfo node) {
    throw new UnsupportedOperationException("Consul registry not built yet");
  }

  @Override
  public void withdraw(String nodeId) {
    throw new UnsupportedOperationException("Consul registry not built yet");
  }

  @Override
  public List<NodeInfo> liveNodes() {
    throw new UnsupportedOperationException("Consul registry not built yet");
  }
}
