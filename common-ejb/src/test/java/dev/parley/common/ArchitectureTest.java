package dev.parley.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.transaction.Transactional;
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

  /**
   * Entity-manager work never runs without a JTA transaction: the container's non-transactional
   * entity manager belongs to the thread's component invocation, which the node's WebSocket
   * listener threads share, and under a burst of connects queries failed with "closed
   * EntityManager". A read that must avoid a transaction uses plain JDBC (contact.ContactStore).
   */
  @Test
  void noEntityManagerReadsOutsideATransaction() {
    DescribedPredicate<JavaAnnotation<?>> supports =
        new DescribedPredicate<>("@Transactional(SUPPORTS)") {
          @Override
          public boolean test(JavaAnnotation<?> annotation) {
            return annotation.getRawType().isEquivalentTo(Transactional.class)
                && annotation
                    .get("value")
                    .map(
                        v ->
                            v.toString().endsWith("SUPPORTS")
                                && !v.toString().endsWith("NOT_SUPPORTED"))
                    .orElse(false);
          }
        };
    noMethods().should().beAnnotatedWith(supports).check(COMMON);
    noClasses().should().beAnnotatedWith(supports).check(COMMON);
  }
}
