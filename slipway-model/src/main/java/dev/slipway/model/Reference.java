package dev.slipway.model;

import java.util.List;

/**
 * A reference inside a model string: {@code ${resources.db.jdbcUrl}}, {@code ${services.api.url}},
 * {@code ${secrets.stripe}}, {@code ${self.port}}. Resolved when a service starts, when ports and
 * passwords are known; {@code self} by whoever renders one service's values (locally the instance's
 * port, in generated files the container port).
 *
 * @param kind      what is referred to
 * @param name      the resource, service or secret name; {@code null} for {@code self}
 * @param attribute the attribute ({@code url}, {@code jdbcUrl}, ...), or {@code null} for secrets
 */
public record Reference(Kind kind, String name, String attribute) {

  /** The namespaces a reference can name. */
  public enum Kind {
    RESOURCES("resources", List.of("url", "jdbcUrl", "host", "port", "username", "password", "database")),
    SERVICES("services", List.of("url", "host", "port")),
    SECRETS("secrets", List.of()),
    /** The service the value belongs to: {@code ${self.port}}, the port this instance listens on. */
    SELF("self", List.of("port"));

    private final String key;
    private final List<String> attributes;

    Kind(String key, List<String> attributes) {
      this.key = key;
      this.attributes = attributes;
    }

    public String key() {
      return key;
    }

    /** The attributes this namespace offers; empty when references take none. */
    public List<String> attributes() {
      return attributes;
    }

    /** Every namespace's key, as written before the first dot. */
    static List<String> keys() {
      return java.util.Arrays.stream(values()).map(Kind::key).toList();
    }

    public static Kind byKey(String key) {
      for (Kind k : values()) {
        if (k.key.equals(key)) {
          return k;
        }
      }
      return null;
    }
  }

  /** Whether the resolved value is sensitive and must be masked wherever it is shown. */
  public boolean sensitive() {
    return kind == Kind.SECRETS
        || (kind == Kind.RESOURCES && ("password".equals(attribute) || "url".equals(attribute)));
  }

  @Override
  public String toString() {
    return "${" + kind.key() + (name == null ? "" : "." + name) + (attribute == null ? "" : "." + attribute) + "}";
  }
}
