package dev.slipway.model;

/**
 * A secret the model refers to as {@code ${secrets.NAME}}. Its value is read only when needed and
 * never written to logs, status, API responses or generated files.
 *
 * @param name   the secret name
 * @param source where the value comes from: {@code env:VAR} or {@code file:PATH}
 */
public record SecretSpec(String name, Source source) {

  /** Where a secret's value is read from. */
  public sealed interface Source {}

  /** {@code env:VAR}: the environment variable {@code VAR} of the Slipway process. */
  public record FromEnv(String variable) implements Source {}

  /** {@code file:PATH}: a file, relative to the model file's directory; trailing newline dropped. */
  public record FromFile(String path) implements Source {}
}
