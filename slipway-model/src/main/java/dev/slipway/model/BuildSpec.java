package dev.slipway.model;

import java.util.List;

/**
 * How a service is built.
 *
 * @param command    the shell command, run with {@code sh -c} in the model file's directory
 * @param inputs     files or directories (relative to the model file) whose content decides whether a
 *                   build is needed; an empty list means "always build"
 * @param outputs    files the build produces; when one is missing the build runs even if the inputs
 *                   did not change
 * @param dockerfile the service's own Dockerfile (relative to the model file, which is also the build
 *                   context), or {@code null}: CI then looks for one where it usually is, else builds
 *                   the image itself (Jib for Maven, a generated Dockerfile otherwise)
 */
public record BuildSpec(String command, List<String> inputs, List<String> outputs, String dockerfile) {
  public BuildSpec {
    inputs = Maps.frozen(inputs);
    outputs = Maps.frozen(outputs);
  }

  /** A build without a Dockerfile of its own. */
  public BuildSpec(String command, List<String> inputs, List<String> outputs) {
    this(command, inputs, outputs, null);
  }
}
