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

  /**
   * A virtual thread that blocks while it holds a monitor pins its carrier on JDK 21 (which Slipway
   * supports): a few of them — queued deploys, say — and no carrier is left for promote, abort or
   * {@code /health}. Rather than tell blocking calls from harmless ones inside {@code synchronized}, the
   * control plane's modules have none at all: no synchronized method, and no {@code monitorenter} in
   * their bytecode (a synchronized block), as the JDK's own disassembler shows it. Locks are
   * java.util.concurrent's.
   */
  @Test
  void engineStoreAndServer_neverHoldAMonitor() {
    String[] modules = {"dev.slipway.engine..", "dev.slipway.store..", "dev.slipway.server.."};
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods().that().areDeclaredInClassesThat()
        .resideInAnyPackage(modules).should().notHaveModifier(com.tngtech.archunit.core.domain.JavaModifier.SYNCHRONIZED)
        .because("a virtual thread blocked in a synchronized method pins its carrier on JDK 21")
        .check(classes);
    java.util.spi.ToolProvider javap = java.util.spi.ToolProvider.findFirst("javap").orElseThrow();
    List<String> blocks = new java.util.ArrayList<>();
    int scanned = 0;
    for (com.tngtech.archunit.core.domain.JavaClass c : classes) {
      if (!c.getPackageName().matches("dev\\.slipway\\.(engine|store|server)(\\..*)?") || c.getSource().isEmpty()) {
        continue;
      }
      java.net.URI uri = c.getSource().get().getUri();
      String where = uri.getScheme().equals("file") ? Path.of(uri).toString() : uri.toString();
      java.io.StringWriter out = new java.io.StringWriter();
      int code = javap.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()), "-c", "-p",
          where);
      org.assertj.core.api.Assertions.assertThat(code).as("javap " + where).isZero();
      scanned++;
      if (out.toString().contains("monitorenter")) {
        blocks.add(c.getName());
      }
    }
    org.assertj.core.api.Assertions.assertThat(scanned).as("classes of the engine, store and server").isGreaterThan(50);
    org.assertj.core.api.Assertions.assertThat(blocks).as("classes with a synchronized block").isEmpty();
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
