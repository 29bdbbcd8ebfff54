package dev.slipway.model;

import java.util.List;

/**
 * How a service is built.
 *
 * @param command the shell command, run with {@code sh -c} in the model file's directory
 * @param inputs  files or directories (relative to the model file) whose content decides whether a
 *                build is needed; an empty list means "always build"
 * @param outputs files the build produces; when one is missing the build runs even if the inputs
 *                did not change
 */
public record BuildSpec(String command, List<String> inputs, List<String> outputs) {
  public BuildSpec {
    inputs = Maps.frozen(inputs);
    outputs = Maps.frozen(outputs);
  }
}
