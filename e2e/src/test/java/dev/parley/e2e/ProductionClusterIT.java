package dev.parley.e2e;

/**
 * The contract on the production profile: real MySQL/MariaDB and a real Consul agent. Its nodes
 * route every push by the cluster's interest and presence entries ({@code
 * parley.imnode.cluster.broadcast-nodes=0}), as clusters larger than the broadcast limit do; the
 * embedded run of the same contract uses the default (a small cluster sends every push to every
 * node).
 */
class ProductionClusterIT extends ContractSuite {

  @Override
  RunningCluster.Settings settings() {
    return RunningCluster.Settings.production("production", 2, 18180)
        .withJavaOptions("-Dparley.imnode.cluster.broadcast-nodes=0");
  }

  @Override
  boolean routesByInterest() {
    return true;
  }
}
