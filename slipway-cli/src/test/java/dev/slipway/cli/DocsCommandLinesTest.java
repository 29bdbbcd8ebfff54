package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every {@code slipway} command line of README.md, docs/*.md and the examples' READMEs is accepted by
 * the CLI's parser, typed as {@link DocCommandLines} says. Fast; {@link DocsCommandLinesIT} runs them.
 */
class DocsCommandLinesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandLine_parses() throws Exception {
    return DocCommandLines.read(REPO).stream().map(l -> DynamicTest.dynamicTest(l.where(), () -> parses(l)));
  }

  /** What the CLI and the control plane suggest in their own messages must work too. */
  @TestFactory
  Stream<DynamicTest> everyCommandLineInSlipwaysOwnMessages_parses() throws Exception {
    java.util.List<DocCommandLines.Line> lines = DocCommandLines.readSources(REPO);
    assertThat(lines).hasSizeGreaterThan(20);
    return lines.stream().map(l -> DynamicTest.dynamicTest(l.where(), () -> parses(l)));
  }

  @Test
  void typing_fillsPlaceholdersAndOptionalParts() {
    DocCommandLines.Line l = DocCommandLines.line(Path.of("x.md"), 1,
        "slipway deploy api [--version v2] [--set KEY=VALUE ...] [--strategy rolling|blue-green|canary] --env ENV", false);
    assertThat(l.kind()).isEqualTo(DocCommandLines.Kind.RUN);
    assertThat(l.args()).containsExactly("deploy", "api", "--version", "v2", "--set", "DOCS_NOTE=from-the-docs",
        "--strategy", "rolling", "--env", "dev");
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway generate all ... -o DIR", true).kind())
        .isEqualTo(DocCommandLines.Kind.ELIDED);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway history", true).kind())
        .isEqualTo(DocCommandLines.Kind.MENTION);
  }

  /** Lines on a kubernetes environment are parsed here like the rest, and run by KubernetesCliIT, not on the local stack. */
  @Test
  void aLineOnAKubernetesEnvironment_isAClusterLine() {
    DocCommandLines.Line deploy = DocCommandLines.line(Path.of("x.md"), 1,
        "./slipway deploy api --env staging -f examples/shop/slipway.yaml --image-tag TAG --wait", false);
    assertThat(deploy.kind()).isEqualTo(DocCommandLines.Kind.CLUSTER);
    assertThat(deploy.args()).containsExactly("deploy", "api", "--env", "staging", "-f", "examples/shop/slipway.yaml",
        "--image-tag", "v2", "--wait");
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway status --env ENV", false).kind())
        .isEqualTo(DocCommandLines.Kind.RUN);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway lint --env production", false).kind())
        .as("lint needs no cluster").isEqualTo(DocCommandLines.Kind.RUN);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway status --env dev --context kind-ci", false).kind())
        .isEqualTo(DocCommandLines.Kind.CLUSTER);
    DocCommandLines.Line promote = DocCommandLines.line(Path.of("x.md"), 1, "slipway promote SERVICE --env E", true);
    assertThat(promote.kind()).isEqualTo(DocCommandLines.Kind.CLUSTER);
    assertThat(promote.args()).containsExactly("promote", "api", "--env", "staging");
  }

  /** Lines that need a team server are parsed here, and left to the team ITs (DocsCommandLinesIT starts no server). */
  @Test
  void aLineForTheTeamServer_isATeamLine() {
    DocCommandLines.Line approve = DocCommandLines.line(Path.of("x.md"), 1, "slipway approve ID [--comment C]", false);
    assertThat(approve.kind()).isEqualTo(DocCommandLines.Kind.TEAM);
    assertThat(approve.args()).containsExactly("approve", "1", "--comment", "C");
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway promote --to production --yes", false).kind())
        .isEqualTo(DocCommandLines.Kind.TEAM);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway audit verify --export checkpoint.json", false).kind())
        .isEqualTo(DocCommandLines.Kind.TEAM);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway deploy api --env staging --reason hotfix", false).kind())
        .as("what only a server records").isEqualTo(DocCommandLines.Kind.TEAM);
    assertThat(DocCommandLines.line(Path.of("x.md"), 1, "slipway promote api", false).kind())
        .as("the canary's next step stays a stack line").isEqualTo(DocCommandLines.Kind.RUN);
  }

  @Test
  void theClusterEnvironments_areTheShopsKubernetesOnes() {
    dev.slipway.model.AppSpec shop = dev.slipway.model.ModelLoader.load(REPO.resolve("examples/shop/slipway.yaml"), null);
    assertThat(shop.environments().values().stream()
        .filter(e -> e.target() == dev.slipway.model.EnvironmentSpec.TargetKind.KUBERNETES)
        .map(dev.slipway.model.EnvironmentSpec::name)).containsExactlyElementsOf(DocCommandLines.CLUSTER_ENVIRONMENTS);
  }

  @Test
  void aRejectedLine_fails() {
    DocCommandLines.Line readmeBefore = DocCommandLines.line(Path.of("README.md"), 27,
        "./slipway logs     -f examples/shop/slipway.yaml api -f", false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parses(readmeBefore))
        .hasMessageContaining("README.md:27").hasMessageContaining("rejected");
  }

  /** Picocli accepts the arguments; an elided line names a real command and real options. */
  static void parses(DocCommandLines.Line l) {
    CommandLine cl = new CommandLine(new Main());
    Main.addHelpOptions(cl);
    if (l.kind() == DocCommandLines.Kind.RUN || l.kind() == DocCommandLines.Kind.CLUSTER
        || l.kind() == DocCommandLines.Kind.TEAM) {
      try {
        cl.parseArgs(l.args().toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError(l.where() + "\n  rejected: " + e.getMessage() + "\n  typed as: " + l.args(), e);
      }
      return;
    }
    if (l.args().isEmpty() || l.args().get(0).startsWith("-")) {
      // `slipway … --env staging`: the command is elided; some command must take each option.
      for (String a : l.args()) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        assertThat(cl.getSubcommands().values()).as(l.where() + ": a command with option " + name)
            .anyMatch(c -> !name.startsWith("-") || c.getCommandSpec().findOption(name) != null);
      }
      return;
    }
    CommandLine at = cl;
    for (String a : l.args()) {
      if (a.startsWith("-")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        assertThat(at.getCommandSpec().findOption(name)).as(l.where() + ": option " + name + " of `"
            + at.getCommandSpec().qualifiedName() + "`").isNotNull();
      } else if (at.getSubcommands().containsKey(a)) {
        at = at.getSubcommands().get(a);
      }
    }
    assertThat(at).as(l.where() + ": names a command").isNotSameAs(cl);
  }

}
