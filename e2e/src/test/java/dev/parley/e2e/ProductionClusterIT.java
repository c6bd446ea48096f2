package dev.parley.e2e;

/** The contract on the production profile: real MySQL/MariaDB and a real Consul agent. */
class ProductionClusterIT extends ContractSuite {

  @Override
  RunningCluster.Settings settings() {
    return RunningCluster.Settings.production("production", 2, 18180);
  }
}
