package dev.slipway.model;

/** The kinds of backing service Slipway knows how to run and wire. */
public enum BackingServiceType {
  POSTGRES("postgres", "15"),
  REDIS("redis", "6"),
  PROMETHEUS("prometheus", null);

  private final String key;
  private final String defaultVersion;

  BackingServiceType(String key, String defaultVersion) {
    this.key = key;
    this.defaultVersion = defaultVersion;
  }

  /** The word used in the model file ({@code type: postgres}). */
  public String key() {
    return key;
  }

  public String defaultVersion() {
    return defaultVersion;
  }
}
