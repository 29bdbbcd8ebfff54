package dev.slipway.examples.shop.common;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One plain-text line per event on stdout: {@code <time> <service> <LEVEL> <message>}.
 *
 * <p>Deliberately not a logging framework: Slipway collects stdout, and one println per event
 * is as cheap as logging gets. Callers must never pass secrets (passwords, URLs with credentials).
 */
public final class Log {

  private static volatile String service = "app";
  private static final PrintStream OUT = System.out;

  private Log() {}

  /** Sets the service name that prefixes every line; called once at start. */
  public static void setService(String name) {
    service = name;
  }

  /** The service name set at start. */
  public static String service() {
    return service;
  }

  /** Logs a normal event. */
  public static void info(String message) {
    write("INFO", message);
  }

  /** Logs something that went wrong but that the service survives. */
  public static void warn(String message) {
    write("WARN", message);
  }

  /** Logs a failure that stops the service or a request. */
  public static void error(String message) {
    write("ERROR", message);
  }

  /**
   * A short description of an exception for a log line: its type and message, plus its cause's.
   * No stack trace: the services' failures are environmental (connection refused, timeouts) and
   * the message says enough; a trace per retry would drown the log.
   */
  public static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      text.append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      text.append(" (caused by ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        text.append(": ").append(cause.getMessage());
      }
      text.append(')');
    }
    return text.toString();
  }

  private static void write(String level, String message) {
    OUT.println(Instant.now() + " " + service + " " + level + " " + message);
  }
}
