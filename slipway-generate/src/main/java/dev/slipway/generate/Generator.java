package dev.slipway.generate;

import dev.slipway.model.AppSpec;

/**
 * Writes the files one platform runs, from the model. One class per target, named
 * {@code <Target>Generator}, registered by its stable {@link #id()} (also the CLI's
 * {@code slipway generate TARGET}). Must be deterministic: the same model gives the same bytes.
 */
public interface Generator {

  /** {@code compose}, {@code kubernetes}, {@code helm}, {@code kustomize}, {@code github-actions}, {@code argocd}, {@code flux}. */
  String id();

  /**
   * Generates the target's files for {@code app} (loaded with the environment's overlay applied) into
   * paths relative to the output directory, with a report of what each model field became.
   *
   * @throws GenerateException when the model cannot be expressed at all (e.g. a service without an image)
   */
  Generated generate(AppSpec app, GenerateOptions options) throws GenerateException;
}
