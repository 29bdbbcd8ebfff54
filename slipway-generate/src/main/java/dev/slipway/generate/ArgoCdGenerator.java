package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `argocd` target is written: says so instead of writing anything. */
public final class ArgoCdGenerator implements Generator {
  @Override
  public String id() {
    return "argocd";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the argocd target is not available yet", null);
  }
}
