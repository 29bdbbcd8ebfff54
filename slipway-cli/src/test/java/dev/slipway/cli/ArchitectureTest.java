package dev.slipway.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The direction of imports from STYLE.md: model → plan → engine → target → server / cli. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.slipway");
  }

  @Test
  void model_dependsOnNothingOfSlipwayButItself() {
    noClasses().that().resideInAPackage("dev.slipway.model..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.plan..", "dev.slipway.engine..",
            "dev.slipway.target..", "dev.slipway.server..", "dev.slipway.cli..", "dev.slipway.analysis..",
            "dev.slipway.api..")
        .check(classes);
  }

  @Test
  void plannersArePure_noEngineTargetsOrIo() {
    noClasses().that().resideInAPackage("dev.slipway.plan..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.engine..", "dev.slipway.target..",
            "dev.slipway.server..", "dev.slipway.cli..", "java.net..", "java.nio.file..", "java.io..")
        .check(classes);
  }

  @Test
  void engine_neverNamesAConcreteTarget() {
    noClasses().that().resideInAPackage("dev.slipway.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.target..", "dev.slipway.server..",
            "dev.slipway.cli..")
        .check(classes);
  }

  @Test
  void targets_neverImportServerOrCli() {
    noClasses().that().resideInAPackage("dev.slipway.target..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.server..", "dev.slipway.cli..")
        .check(classes);
  }

  @Test
  void cli_isOnlyAClientOfTheControlPlane() {
    noClasses().that().resideInAPackage("dev.slipway.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.server..", "dev.slipway.engine..",
            "dev.slipway.target..")
        .check(classes);
  }
}
