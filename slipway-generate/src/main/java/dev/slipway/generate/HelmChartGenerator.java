package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `helm` target is written: says so instead of writing anything. */
public final class HelmChartGenerator implements Generator {
  @Override
  public String id() {
    return "helm";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the helm target is not available yet", null);
  }
}
