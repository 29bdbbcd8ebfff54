package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `flux` target is written: says so instead of writing anything. */
public final class FluxGenerator implements Generator {
  @Override
  public String id() {
    return "flux";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the flux target is not available yet", null);
  }
}
