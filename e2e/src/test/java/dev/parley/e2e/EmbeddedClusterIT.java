package dev.parley.e2e;

/** The contract on the embedded profile: shared H2, discovery over the Hazelcast cluster. */
class EmbeddedClusterIT extends ContractSuite {

  @Override
  RunningCluster.Settings settings() {
    return RunningCluster.Settings.embedded("embedded", 2, 18080);
  }
}
