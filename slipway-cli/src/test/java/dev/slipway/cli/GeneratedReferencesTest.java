package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No generated file holds a {@code ${…}} of ours: every reference ({@code ${resources.…}},
 * {@code ${self.port}}, …) is resolved, and the model cannot smuggle a shell {@code ${VAR}} into
 * output nothing would expand. Two forms are meant to be there: GitHub Actions expressions
 * {@code ${{ … }}} and the Compose variables the file takes from its {@code .env}.
 */
class GeneratedReferencesTest {
  private static final Pattern DOLLAR_BRACE = Pattern.compile("\\$\\{");
  /** What {@code ComposeEnv.interpolate} writes: Compose fails with this message when NAME is unset. */
  private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{[A-Z_][A-Z0-9_]*\\?set it in \\.env, see \\.env\\.example\\}");

  static Stream<Path> models() throws Exception {
    List<Path> models = new ArrayList<>();
    try (Stream<Path> examples = Files.list(Path.of("..", "examples"))) {
      examples.map(d -> d.resolve("slipway.yaml")).filter(Files::isRegularFile).sorted().forEach(models::add);
    }
    models.add(fixture("self-port.yaml"));
    return models.stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void generateAll_leavesNoDollarBraceOfOurs(Path model, @TempDir Path out) throws IOException {
    CliTestSupport.Result r = CliTestSupport.cli("generate", "all", "-f", model.toString(), "-o", out.toString(), "-q");

    assertThat(r.code()).as(r.output()).isZero();
    Map<String, String> files = CliTestSupport.files(out);
    assertThat(files).hasSizeGreaterThan(10);
    assertThat(unresolved(files)).isEmpty();
  }

  @Test
  void unresolved_findsAPlantedReference_butNotActionsExpressionsOrComposeVariables() {
    Map<String, String> files = Map.of(
        "ci.yml", "run: echo ${{ github.sha }}\n",
        "compose/docker-compose.yml", "PASSWORD: ${DB_PASSWORD?set it in .env, see .env.example}\n",
        "kubernetes/app.yaml", "data:\n  URL: ${resources.db.url}\n  PORT: ${PORT}\n");

    assertThat(unresolved(files)).containsExactly("kubernetes/app.yaml:2: ${resources.db.url}",
        "kubernetes/app.yaml:3: ${PORT}");
  }

  @Test
  void selfPort_isTheContainerPort_inComposeKubernetesAndHelm(@TempDir Path out) throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("generate", "all", "-f", fixture("self-port.yaml").toString(),
        "-o", out.toString(), "-q");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(Files.readString(out.resolve("compose/docker-compose.yml")))
        .contains("SERVER_PORT: '8081'", "PUBLIC_URL: http://localhost:8081/api", "MANAGEMENT_SERVER_PORT: '9090'");
    assertThat(Files.readString(out.resolve("kubernetes/production/selfport.yaml")))
        .contains("SERVER_PORT: '8081'", "PUBLIC_URL: http://localhost:8081/api", "MANAGEMENT_SERVER_PORT: '9090'");
    assertThat(Files.readString(out.resolve("helm/selfport/values.yaml"))).contains("SERVER_PORT: '8081'");
  }

  /** Every {@code ${} in {@code files} that is neither {@code ${{} nor a Compose variable, as "file:line: text". */
  static List<String> unresolved(Map<String, String> files) {
    List<String> found = new ArrayList<>();
    new TreeMap<>(files).forEach((path, text) -> {
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = DOLLAR_BRACE.matcher(lines[i]);
        while (m.find()) {
          String rest = lines[i].substring(m.start());
          if (rest.startsWith("${{") || COMPOSE_VARIABLE.matcher(rest).lookingAt()) {
            continue;
          }
          int end = rest.indexOf('}');
          found.add(path + ":" + (i + 1) + ": " + (end < 0 ? rest : rest.substring(0, end + 1)));
        }
      }
    });
    return found;
  }

  private static Path fixture(String name) throws Exception {
    return Path.of(Objects.requireNonNull(GeneratedReferencesTest.class.getResource("/cli/" + name)).toURI());
  }
}
