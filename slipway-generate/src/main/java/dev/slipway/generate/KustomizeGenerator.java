package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `kustomize` target is written: says so instead of writing anything. */
public final class KustomizeGenerator implements Generator {
  @Override
  public String id() {
    return "kustomize";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the kustomize target is not available yet", null);
  }
}
