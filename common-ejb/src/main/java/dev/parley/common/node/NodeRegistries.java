package dev.parley.common.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the node registry by configuration: {@code cluster} (the embedded profile's Hazelcast
 * map, the default) or {@code consul}.
 */
@ApplicationScoped
public class NodeRegistries {

  @Inject
  @ConfigProperty(name = "parley.node.registry", defaultValue = "cluster")
  String kind;

  @Inject Instance<ClusterNodeRegistry> cluster;
  @Inject Instance<ConsulNodeRegistry> consul;

  @Produces
  @ApplicationScoped
  NodeRegistry registry() {
    return switch (kind) {
      case "cluster" -> cluster.get();
      case "consul" -> consul.get();
      default ->
          throw new IllegalStateException(
              "parley.node.registry must be cluster or consul, not " + kind);
    };
  }
}
