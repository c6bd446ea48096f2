package dev.parley.imnode;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the arrows between the node's feature packages as docs/architecture.md draws them. */
class ArchitectureTest {

  private static final JavaClasses NODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.parley.imnode");

  @Test
  void connection_importsNoOtherFeature() {
    noClasses()
        .that()
        .resideInAPackage("..imnode.connection..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..imnode.endpoint..",
            "..imnode.room..",
            "..imnode.message..",
            "..imnode.delivery..",
            "..imnode.cluster..",
            "..imnode.presence..",
            "..imnode.node..")
        .check(NODE);
  }

  @Test
  void cluster_knowsNothingOfTheFeaturesItCarries() {
    noClasses()
        .that()
        .resideInAPackage("..imnode.cluster..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..imnode.endpoint..", "..imnode.room..", "..imnode.message..", "..imnode.delivery..")
        .check(NODE);
  }

  @Test
  void features_doNotReachBackIntoTheEndpointOrDelivery() {
    noClasses()
        .that()
        .resideInAnyPackage("..imnode.room..", "..imnode.message..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..imnode.endpoint..", "..imnode.delivery..", "..imnode.cluster..")
        .check(NODE);
  }

  @Test
  void onlyTheClusterAndPresenceTouchHazelcastTopicsAndMaps() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..imnode.endpoint..", "..imnode.room..", "..imnode.message..", "..imnode.delivery..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.hazelcast..")
        .check(NODE);
  }
}
