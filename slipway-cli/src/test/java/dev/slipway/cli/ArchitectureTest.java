package dev.slipway.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
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

/**
 * The module table of STYLE.md ("Data flows one way: model → plan → engine → runtime → (router) →
 * analysis → store"), checked on the bytecode of every main class of Slipway: this module's test
 * class path holds them all (the server and, through the local runtime, the router at runtime scope).
 * Each rule names, per module, the modules of ours it may use; everything else of ours is banned, so
 * a new module (say {@code kubernetes}) is banned everywhere until a rule allows it.
 */
class ArchitectureTest {
  /** Every module's package. */
  private static final List<String> MODULES = List.of("model", "plan", "analysis", "store", "api", "engine", "local",
      "kubernetes", "router", "generate", "preview", "server", "cli");
  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.slipway");
  }

  /** Bans every module of ours but {@code module} itself and {@code allowed}. */
  private static void mayUseOnly(String module, String because, String... allowed) {
    List<String> ok = List.of(allowed);
    String[] banned = MODULES.stream().filter(m -> !m.equals(module) && !ok.contains(m))
        .map(m -> "dev.slipway." + m + "..").toArray(String[]::new);
    noClasses().that().resideInAPackage("dev.slipway." + module + "..")
        .should().dependOnClassesThat().resideInAnyPackage(banned)
        .because(because).allowEmptyShould(module.equals("kubernetes")).check(classes);
  }

  /** Third-party code {@code module} may use: besides the JDK's {@code java..}, only {@code allowed}. */
  private static void usesOnlyTheJdkAnd(String module, String because, String... allowed) {
    List<String> ok = new java.util.ArrayList<>(List.of("java..", "dev.slipway." + module + ".."));
    ok.addAll(List.of(allowed));
    classes().that().resideInAPackage("dev.slipway." + module + "..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(ok.toArray(String[]::new))
        .because(because).check(classes);
  }

  @Test
  void model_usesNothingOfOurs_andOfOthersOnlySnakeYaml() {
    mayUseOnly("model", "the model is where every module starts");
    usesOnlyTheJdkAnd("model", "STYLE.md: Jackson / SnakeYAML only", "org.yaml.snakeyaml..",
        "com.fasterxml.jackson..");
  }

  @Test
  void plan_usesOnlyTheModel_andNoIo() {
    mayUseOnly("plan", "planners are pure functions of a release and the current state", "model");
    noClasses().that().resideInAPackage("dev.slipway.plan..")
        .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.io..", "java.sql..")
        .because("planners do no I/O; the engine does").check(classes);
    usesOnlyTheJdkAnd("plan", "planners need nothing but the JDK and the model", "dev.slipway.model..");
  }

  @Test
  void promotionGates_readNoClock() {
    // `now` is a parameter, so a gate text is a function of its inputs and tests need no waiting
    noClasses().that().resideInAPackage("dev.slipway.plan.promotion..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
        .because("promotion gates are pure: the caller passes now").check(classes);
  }

  @Test
  void analysis_usesOnlyTheModel() {
    mayUseOnly("analysis", "probes and metric sources judge what the model describes", "model");
  }

  @Test
  void store_usesOnlyTheApiTypes() {
    mayUseOnly("store", "the store keeps rows, not models or plans; the team server's records (audit entries,"
        + " checkpoints) are the API's, shared with the CLI that verifies them", "api");
  }

  @Test
  void api_usesNothingOfOurs() {
    mayUseOnly("api", "the API's types are shared by server and CLI, which must not meet anywhere else");
  }

  @Test
  void engine_usesModelPlanAnalysisStoreAndApi_andNeverNamesAConcreteRuntime() {
    mayUseOnly("engine", "the engine drives runtimes through its runtime API (engine.runtime), never a concrete one",
        "model", "plan", "analysis", "store", "api");
  }

  @Test
  void localRuntime_usesOnlyTheEnginesRuntimeApi() {
    mayUseOnly("local", "a runtime implements the engine's runtime API and knows nothing else of it", "engine",
        "model", "api");
    noClasses().that().resideInAPackage("dev.slipway.local..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.slipway.engine..")
            .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.slipway.engine.runtime.."))))
        .because("the engine's runtime API is dev.slipway.engine.runtime; the rest of the engine is its own")
        .check(classes);
  }

  /**
   * Decision 0018: the cluster runner shares the local engine's planners (plan), judge (analysis) and
   * phases (store), and builds its objects with the generator; it never uses the local runtime.
   */
  @Test
  void runtimes_neverUseEachOther() {
    mayUseOnly("kubernetes", "runtimes never import each other", "engine", "model", "plan", "analysis", "store", "api",
        "generate");
  }

  @Test
  void router_usesNettyOnly() {
    mayUseOnly("router", "the router is a separate process (the data plane) that outlives the control plane");
    usesOnlyTheJdkAnd("router", "STYLE.md: Netty only", "io.netty..");
  }

  @Test
  void generate_usesOnlyTheModel() {
    mayUseOnly("generate", "generators are functions of the model", "model");
  }

  /**
   * A preview is a whole stack: locally a control plane of its own, started as a process by class
   * name (so never the server or the engine in-process), on a cluster the cluster runner's facade.
   */
  @Test
  void preview_usesModelApiGenerateAndTheClusterRunner_andStartsControlPlanesOnlyAsProcesses() {
    mayUseOnly("preview", "a local preview's control plane is a process of its own; a cluster preview goes through"
        + " dev.slipway.kubernetes", "model", "api", "kubernetes", "generate");
  }

  @Test
  void server_usesAnythingButTheCli() {
    mayUseOnly("server", "the server is the control plane; the CLI is its client",
        MODULES.stream().filter(m -> !m.equals("cli")).toArray(String[]::new));
  }

  /**
   * STYLE.md says "api types, generate". The CLI also reads the model itself ({@code lint},
   * {@code generate}, {@code config} work without a control plane, and {@code generate} needs the
   * model's records), so the model is allowed too. It starts the server as a child process by class
   * name, never in-process: that is what keeps server and engine out of this list. On a kubernetes
   * environment the CLI process is the runner, as helm is (decision 0018): it uses the cluster
   * runtime's public facade ({@code ClusterEnvironment}), which is why {@code kubernetes} is here.
   */
  @Test
  void cli_usesApiTypesGenerateTheModelAndTheClusterRunner_onlyAsAClientOfTheControlPlane() {
    mayUseOnly("cli", "the CLI talks to the control plane over its HTTP API, and drives a cluster through"
        + " dev.slipway.kubernetes (decision 0018)", "api", "generate", "model", "kubernetes", "preview");
  }

  @Test
  void nothingImportsServerOrCli() {
    noClasses().that().resideOutsideOfPackage("dev.slipway.server..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.server..")
        .because("the server is the top of the control plane").check(classes);
    noClasses().that().resideOutsideOfPackage("dev.slipway.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.cli..")
        .because("the CLI is the top of everything").check(classes);
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
    String[] modules = {"dev.slipway.engine..", "dev.slipway.store..", "dev.slipway.server..", "dev.slipway.preview.."};
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods().that().areDeclaredInClassesThat()
        .resideInAnyPackage(modules).should().notHaveModifier(com.tngtech.archunit.core.domain.JavaModifier.SYNCHRONIZED)
        .because("a virtual thread blocked in a synchronized method pins its carrier on JDK 21")
        .check(classes);
    java.util.spi.ToolProvider javap = java.util.spi.ToolProvider.findFirst("javap").orElseThrow();
    List<String> blocks = new java.util.ArrayList<>();
    int scanned = 0;
    for (com.tngtech.archunit.core.domain.JavaClass c : classes) {
      if (!c.getPackageName().matches("dev\\.slipway\\.(engine|store|server|preview)(\\..*)?") || c.getSource().isEmpty()) {
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
