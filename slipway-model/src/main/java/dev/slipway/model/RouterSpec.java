package dev.slipway.model;

/**
 * An environment's router ({@code environments.NAME.router}): what it lets clients see and choose, and
 * how much of it one client may hold.
 *
 * @param pinning       whether a client may pick a release with the {@code X-Slipway-Version} header
 *                      or the {@code slipway-version} cookie (a release with no traffic included)
 * @param versionHeader whether responses say which release served them ({@code X-Slipway-Version})
 * @param limits        connection caps and timeouts; never null ({@link RouterLimits#DEFAULTS})
 */
public record RouterSpec(boolean pinning, boolean versionHeader, RouterLimits limits) {

  public RouterSpec {
    limits = limits == null ? RouterLimits.DEFAULTS : limits;
  }

  /** Pinning and the version header as given, every limit at the router's default. */
  public RouterSpec(boolean pinning, boolean versionHeader) {
    this(pinning, versionHeader, RouterLimits.DEFAULTS);
  }

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
