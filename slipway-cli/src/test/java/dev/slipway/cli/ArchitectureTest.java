package dev.slipway.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
            "dev.slipway.local..", "dev.slipway.server..", "dev.slipway.cli..", "dev.slipway.analysis..",
            "dev.slipway.api..")
        .check(classes);
  }

  @Test
  void plannersArePure_noEngineTargetsOrIo() {
    noClasses().that().resideInAPackage("dev.slipway.plan..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.engine..", "dev.slipway.local..",
            "dev.slipway.server..", "dev.slipway.cli..", "java.net..", "java.nio.file..", "java.io..")
        .check(classes);
  }

  @Test
  void engine_neverNamesAConcreteTarget() {
    noClasses().that().resideInAPackage("dev.slipway.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.local..", "dev.slipway.server..",
            "dev.slipway.cli..")
        .check(classes);
  }

  @Test
  void targets_neverImportServerOrCli() {
    noClasses().that().resideInAPackage("dev.slipway.local..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.server..", "dev.slipway.cli..")
        .check(classes);
  }

  @Test
  void cli_isOnlyAClientOfTheControlPlane() {
    noClasses().that().resideInAPackage("dev.slipway.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.server..", "dev.slipway.engine..",
            "dev.slipway.local..")
        .check(classes);
  }

  /** `target` is Maven's build directory to every tool and to `.gitignore`: no source may live under one. */
  @Test
  void noSourcePathSegmentIsNamedTarget() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> offending;
    try (Stream<Path> all = Files.walk(root)) {
      offending = all.filter(Files::isDirectory)
          .map(root::relativize)
          .filter(p -> !p.startsWith(".git") && p.getFileName().toString().equals("target"))
          .filter(p -> { for (Path seg : p) { if (seg.toString().equals("src")) return true; } return false; })
          .toList();
    }
    org.assertj.core.api.Assertions.assertThat(offending).as("directories named target inside a src/ tree").isEmpty();
  }
}
