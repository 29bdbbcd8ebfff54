package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/** Placeholder until the `github-actions` target is written: says so instead of writing anything. */
public final class GitHubActionsGenerator implements Generator {
  @Override
  public String id() {
    return "github-actions";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    throw new GenerateException(id(), "", "the github-actions target is not available yet", null);
  }
}
