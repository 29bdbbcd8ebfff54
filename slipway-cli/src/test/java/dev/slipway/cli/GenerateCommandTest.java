package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway generate} and {@code slipway lint} on the example and on fixtures: bytes, drift, secrets, errors. */
class GenerateCommandTest {
  private static final String SHOP = Path.of("..", "examples", "shop", "slipway.yaml").toString();

  @Test
  void generateAll_twice_givesIdenticalBytes_andCheckFindsNoDrift(@TempDir Path dir) throws IOException {
    CliTestSupport.Result first = CliTestSupport.cli("generate", "all", "-f", SHOP, "--env", "production", "-o",
        dir.resolve("a").toString());
    CliTestSupport.Result second = CliTestSupport.cli("generate", "all", "-f", SHOP, "--env", "production", "-o",
        dir.resolve("b").toString());

    assertThat(first.code()).as(first.output()).isZero();
    assertThat(second.code()).as(second.output()).isZero();
    Map<String, String> a = CliTestSupport.files(dir.resolve("a"));
    assertThat(a.keySet()).anyMatch(p -> p.startsWith("compose/")).anyMatch(p -> p.startsWith("kubernetes/"))
        .anyMatch(p -> p.startsWith("helm/")).anyMatch(p -> p.startsWith("kustomize/"))
        .anyMatch(p -> p.startsWith(".github/workflows/")).anyMatch(p -> p.startsWith("argocd/"))
        .anyMatch(p -> p.startsWith("flux/"));
    assertThat(CliTestSupport.files(dir.resolve("b"))).isEqualTo(a);
    assertThat(a).containsKey(".slipway-generated");
    assertThat(first.out()).contains("generated " + (a.size() - 1) + " files for environment production");
    CliTestSupport.Result check = CliTestSupport.cli("generate", "all", "-f", SHOP, "--env", "production", "-o",
        dir.resolve("a").toString(), "--check");
    assertThat(check.code()).as(check.output()).isZero();
  }

  @Test
  void check_afterAHandEdit_exits1_andNamesTheFileAndLine(@TempDir Path dir) throws IOException {
    String out = dir.toString();
    assertThat(CliTestSupport.cli("generate", "kubernetes", "-f", SHOP, "--env", "production", "-o", out).code()).isZero();
    Path edited;
    try (Stream<Path> s = Files.walk(dir)) {
      edited = s.filter(p -> p.toString().endsWith(".yaml")).sorted().findFirst().orElseThrow();
    }
    Files.writeString(edited, Files.readString(edited).replaceFirst("\n", "\n# tweaked by hand\n"));

    CliTestSupport.Result check = CliTestSupport.cli("generate", "kubernetes", "-f", SHOP, "--env", "production", "-o",
        out, "--check");

    assertThat(check.code()).isEqualTo(1);
    assertThat(check.err()).contains(dir.relativize(edited) + ": changed (first difference at line 2)")
        .contains("1 of ");
    assertThat(Files.readString(edited)).contains("# tweaked by hand");
  }

  @Test
  void generate_afterAServiceIsDropped_removesOnlyItsOldFiles_andCheckReportsThemFirst(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, Files.readString(Path.of(SHOP)));
    Path out = dir.resolve("out");
    assertThat(CliTestSupport.cli("generate", "all", "-f", model.toString(), "-o", out.toString()).code()).isZero();
    Path workerTemplate = out.resolve("helm/shop/templates/worker-deployment.yaml");
    assertThat(workerTemplate).exists();
    Path mine = out.resolve("helm/shop/templates/my-own.yaml");
    Files.writeString(mine, "# a file of the user's\n");
    // Drop the worker from the model.
    String text = Files.readString(model);
    int from = text.indexOf("  worker:");
    Files.writeString(model, text.substring(0, from) + text.substring(text.indexOf("resources:\n  db:")));

    CliTestSupport.Result check = CliTestSupport.cli("generate", "all", "-f", model.toString(), "-o", out.toString(), "--check");
    CliTestSupport.Result again = CliTestSupport.cli("generate", "all", "-f", model.toString(), "-o", out.toString());

    assertThat(check.code()).isEqualTo(1);
    assertThat(check.err()).contains("helm/shop/templates/worker-deployment.yaml: stale");
    assertThat(again.code()).as(again.output()).isZero();
    assertThat(again.out()).contains("removed helm/shop/templates/worker-deployment.yaml");
    assertThat(workerTemplate).doesNotExist();
    assertThat(mine).exists();
    assertThat(CliTestSupport.cli("generate", "all", "-f", model.toString(), "-o", out.toString(), "--check").code()).isZero();
  }

  @Test
  void generate_neverWritesASecretValue(@TempDir Path dir) throws Exception {
    Path model = Path.of(Objects.requireNonNull(getClass().getResource("/cli/secrets-image.yaml")).toURI());

    CliTestSupport.Result r = CliTestSupport.cli("generate", "all", "-f", model.toString(), "--env", "production",
        "-o", dir.toString());

    assertThat(r.code()).as(r.output()).isZero();
    Map<String, String> files = CliTestSupport.files(dir);
    assertThat(files).isNotEmpty();
    files.forEach((path, text) -> assertThat(text).as(path).doesNotContain("hunter2"));
    assertThat(r.out()).doesNotContain("hunter2");
    assertThat(String.join("\n", files.values())).contains("STRIPE_KEY").contains("ADMIN_PASSWORD");
  }

  @Test
  void generate_unknownTarget_exits2_withDidYouMean(@TempDir Path dir) {
    CliTestSupport.Result r = CliTestSupport.cli("generate", "kubernetis", "-f", SHOP, "-o", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown target `kubernetis`; did you mean `kubernetes`?").doesNotContain("\tat ");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void lint_onTheExampleProduction_hasNoFindings() {
    CliTestSupport.Result r = CliTestSupport.cli("lint", "-f", SHOP, "--env", "production");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("no hardening findings for environment production");
  }

  @Test
  void lint_onAWeakenedModel_reportsEachMissingItemWithItsPath() throws Exception {
    Path model = Path.of(Objects.requireNonNull(getClass().getResource("/cli/weak.yaml")).toURI());

    CliTestSupport.Result r = CliTestSupport.cli("lint", "-f", model.toString(), "--env", "production");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("services.api.health").contains("services.api.resources").contains("services.api.image");
    CliTestSupport.Result secrets = CliTestSupport.cli("lint", "-f", Path.of(Objects.requireNonNull(
        getClass().getResource("/cli/secrets-image.yaml")).toURI()).toString(), "--env", "production");
    assertThat(secrets.out()).contains("services.api.env.ADMIN_PASSWORD: secrets.literal").doesNotContain("hunter2");
  }
}
