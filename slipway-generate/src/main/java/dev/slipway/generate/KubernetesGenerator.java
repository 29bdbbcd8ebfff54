package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `kubernetes` target is written: says so instead of writing anything. */
public final class KubernetesGenerator implements Generator {
  @Override
  public String id() {
    return "kubernetes";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the kubernetes target is not available yet", null);
  }
}
