package dev.parley.imnode.node;

import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the node is announced in the registry and its link to the cluster is up: the gateway
 * probes this and routes no client to a node that is not ready.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  @Inject NodeAnnouncer announcer;
  @Inject NodeIdentity identity;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("parley-node")
        .status(announcer.isAnnounced() && hazelcast.getLifecycleService().isRunning())
        .withData("nodeId", identity.nodeId())
        .build();
  }
}
