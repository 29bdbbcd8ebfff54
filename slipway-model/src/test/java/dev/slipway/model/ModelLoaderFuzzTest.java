package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Whatever the text, the loader fails only with {@link ModelException}, and every error is located.
 *
 * <p>In the normal build these run in regression mode over the kept inputs in
 * {@code src/test/resources/dev/slipway/model/ModelLoaderFuzzTestInputs/<method>/}. To fuzz, see
 * docs/model.md ("Fuzzing the loader"); keep any crashing input there once fixed.
 */
class ModelLoaderFuzzTest {
  private static final Path FILE = Path.of("slipway.yaml");
  private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "production", "x");

  /** Raw text: seeds are plain YAML files, so the kept corpus is readable. */
  @FuzzTest(maxDuration = "10s")
  void parse_whenArbitraryText_failsOnlyWithLocatedModelErrors(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    check(yaml, null);
    check(yaml, "staging");
  }

  /** YAML-shaped text built from the model's own words, to get past the syntax into the binders. */
  @FuzzTest(maxDuration = "10s")
  void parse_whenYamlShapedModel_failsOnlyWithLocatedModelErrors(FuzzedDataProvider data) {
    String env = data.consumeBoolean() ? null : data.pickValue(ENVIRONMENTS);
    check(YamlShapes.model(data), env);
  }

  private static void check(String yaml, String environment) {
    try {
      AppSpec app = ModelLoader.parse(yaml, FILE, environment);
      assertThat(app.name()).isNotEmpty();
    } catch (ModelException e) {
      assertLocated(e.errors());
    }
    assertLocated(ModelLoader.validateAll(yaml, FILE));
  }

  private static void assertLocated(List<ModelError> errors) {
    for (ModelError error : errors) {
      assertThat(error.location().file()).isEqualTo(FILE);
      assertThat(error.location().line()).as("line of %s", error).isGreaterThanOrEqualTo(1);
      assertThat(error.location().column()).as("column of %s", error).isGreaterThanOrEqualTo(1);
      assertThat(error.message()).as("message of %s", error).isNotBlank();
      assertThat(error.format()).isNotBlank();
    }
  }
}
