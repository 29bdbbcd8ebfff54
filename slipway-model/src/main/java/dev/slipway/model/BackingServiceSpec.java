package dev.slipway.model;

/**
 * A backing service the application uses: a database, a cache, a metrics server.
 *
 * @param name     the resource name (its key under {@code resources:})
 * @param type     what it is
 * @param version  the major version wanted (e.g. {@code "15"}), or {@code null} for the default
 * @param provider where it comes from (default {@link Provider#EMBEDDED} where one exists)
 * @param url      for {@link Provider#EXTERNAL}: the connection URL (a template, may hold a secret)
 * @param database for databases: the database to create (default: the application name)
 * @param username for databases: the user to create (default: the application name)
 */
public record BackingServiceSpec(
    String name,
    BackingServiceType type,
    String version,
    Provider provider,
    Template url,
    String database,
    String username) {

  /** Where a backing service comes from. */
  public enum Provider {
    /** Server binaries shipped as Maven artifacts, run as a supervised process. */
    EMBEDDED("embedded"),
    /** Server binaries installed on the machine, run as a supervised process. */
    LOCAL("local"),
    /** A container from a locally built image, when a Docker engine is present. */
    DOCKER("docker"),
    /** Already running elsewhere; Slipway only connects to {@code url}. */
    EXTERNAL("external");

    private final String key;

    Provider(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }
}
