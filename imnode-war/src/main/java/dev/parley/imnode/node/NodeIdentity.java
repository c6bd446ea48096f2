package dev.parley.imnode.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Who this node is and the WebSocket URL clients reach it at. */
@ApplicationScoped
public class NodeIdentity {

  @Inject
  @ConfigProperty(name = "parley.imnode.node.id")
  String nodeId;

  @Inject
  @ConfigProperty(name = "parley.imnode.node.url")
  String url;

  public String nodeId() {
    return nodeId;
  }

  public String url() {
    return url;
  }
}
