package dev.slipway.model;

/**
 * What an environment's router lets clients see and choose ({@code environments.NAME.router}).
 *
 * @param pinning       whether a client may pick a release with the {@code X-Slipway-Version} header
 *                      or the {@code slipway-version} cookie (a release with no traffic included)
 * @param versionHeader whether responses say which release served them ({@code X-Slipway-Version})
 */
public record RouterSpec(boolean pinning, boolean versionHeader) {

  /**
   * Both on in {@code dev}, where the developer is the only client and tests pin; both off elsewhere,
   * where clients are users who should neither reach a release before it gets traffic nor learn
   * release ids (docs/decisions/0016).
   */
  public static RouterSpec defaultsFor(String environment) {
    boolean dev = ModelLoader.DEFAULT_ENVIRONMENT.equals(environment);
    return new RouterSpec(dev, dev);
  }
}
