package dev.parley.imnode.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the node is announced in the registry and accepting connections. */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  @Inject NodeAnnouncer announcer;
  @Inject NodeIdentity identity;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("parley-node")
        .status(announcer.isAnnounced())
        .withData("nodeId", identity.nodeId())
        .build();
  }
}
