package dev.parley.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses COMMON =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.parley");

  @Test
  void protocol_importsNothingElseOfParleys() {
    noClasses()
        .that()
        .resideInAPackage("dev.parley.common.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.parley.common.user..",
            "dev.parley.common.room..",
            "dev.parley.common.message..",
            "dev.parley.common.auth..",
            "dev.parley.common.node..",
            "dev.parley.gateway..",
            "dev.parley.imnode..")
        .check(COMMON);
  }

  @Test
  void common_knowsNeitherWar() {
    noClasses()
        .that()
        .resideInAPackage("dev.parley.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.parley.gateway..", "dev.parley.imnode..")
        .check(COMMON);
  }
}
