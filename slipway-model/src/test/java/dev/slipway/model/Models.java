package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;

/** Test helpers: parse model text as {@code slipway.yaml} and look at the formatted errors. */
final class Models {
  static final Path FILE = Path.of("slipway.yaml");
  static final Path FIXTURES = Path.of("src/test/resources/model");

  private Models() {}

  static AppSpec parse(String yaml) {
    return ModelLoader.parse(yaml, FILE, null);
  }

  static AppSpec parse(String yaml, String environment) {
    return ModelLoader.parse(yaml, FILE, environment);
  }

  /** Every error, formatted as users see it. Fails when the model loads. */
  static List<String> errors(String yaml, String environment) {
    ModelException e = catchThrowableOfType(ModelException.class, () -> ModelLoader.parse(yaml, FILE, environment));
    assertThat(e).as("expected errors in:\n%s", yaml).isNotNull();
    return e.errors().stream().map(ModelError::format).toList();
  }

  static List<String> errors(String yaml) {
    return errors(yaml, null);
  }

  /** The single error, formatted. Fails when there is not exactly one. */
  static String error(String yaml) {
    List<String> errors = errors(yaml);
    assertThat(errors).as("errors").hasSize(1);
    return errors.get(0);
  }

  static Path fixture(String name) {
    return FIXTURES.resolve(name);
  }

  /** A minimal valid model with {@code services} (already indented by 2) appended. */
  static String app(String services) {
    return "name: shop\nservices:\n" + services;
  }
}
