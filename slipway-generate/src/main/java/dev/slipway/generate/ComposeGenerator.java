package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `compose` target is written: says so instead of writing anything. */
public final class ComposeGenerator implements Generator {
  @Override
  public String id() {
    return "compose";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the compose target is not available yet", null);
  }
}
