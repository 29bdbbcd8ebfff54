package dev.slipway.model;

/** What a service waits for in a dependency before it starts. */
public enum DependencyCondition {
  /** The dependency's process has been started. */
  STARTED("started"),
  /** The dependency reports ready (services: readiness endpoint; backing services: a real query). */
  HEALTHY("healthy");

  private final String key;

  DependencyCondition(String key) {
    this.key = key;
  }

  /** The word used in the model file. */
  public String key() {
    return key;
  }
}
