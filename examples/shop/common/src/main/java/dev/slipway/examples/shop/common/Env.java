package dev.slipway.examples.shop.common;

import java.util.Locale;
import java.util.Map;

/**
 * Typed access to the service's configuration, which comes only from environment variables
 * (that is how Slipway, and Kubernetes after it, hand configuration to a process).
 *
 * <p>Bad or missing values raise {@link ConfigException}, whose message names the variable but
 * never echoes its value: values may be secrets.
 */
public final class Env {

  private final Map<String, String> vars;

  /** Configuration backed by the given variables (tests and tools can pass their own map). */
  public Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  /** Configuration from this process's environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  /** The value, or {@code fallback} when the variable is unset or blank. */
  public String get(String name, String fallback) {
    String value = vars.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** The value; fails when the variable is unset or blank. */
  public String required(String name) {
    String value = get(name, null);
    if (value == null) {
      throw new ConfigException(name + " is required but not set");
    }
    return value;
  }

  /** An integer within [min, max], or {@code fallback} when unset. */
  public int intValue(String name, int fallback, int min, int max) {
    String value = get(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below, with the same message as an out-of-range value
    }
    throw new ConfigException(name + " must be an integer from " + min + " to " + max);
  }

  /** A TCP port; fails when unset. */
  public int port(String name) {
    required(name);
    return intValue(name, 0, 1, 65535);
  }

  /**
   * A share in [0, 1], given either as a fraction ({@code 0.25}) or a percentage ({@code 25%}),
   * or 0 when unset.
   */
  public double fraction(String name) {
    String value = get(name, null);
    if (value == null) {
      return 0;
    }
    try {
      boolean percent = value.endsWith("%");
      double parsed = Double.parseDouble(percent ? value.substring(0, value.length() - 1) : value);
      if (percent) {
        parsed /= 100;
      }
      if (parsed >= 0 && parsed <= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(name + " must be a number from 0 to 1 (or a percentage like 25%)");
  }

  /** A flag: true/1/yes/on or false/0/no/off (any case), or false when unset. */
  public boolean flag(String name) {
    String value = get(name, "false").toLowerCase(Locale.ROOT);
    switch (value) {
      case "true": case "1": case "yes": case "on":
        return true;
      case "false": case "0": case "no": case "off":
        return false;
      default:
        throw new ConfigException(name + " must be true or false");
    }
  }

  /** A configuration problem the process cannot start with; the message must not contain secrets. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}, which names the variable. */
    public ConfigException(String message) {
      super(message);
    }
  }
}
