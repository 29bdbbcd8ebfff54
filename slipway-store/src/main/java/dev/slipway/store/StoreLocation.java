package dev.slipway.store;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the store lives: the JDBC URL the driver gets (without credentials), the connection
 * properties (credentials, timeouts) and how to name the place in messages without its password.
 */
final class StoreLocation {
  enum Kind { H2, POSTGRESQL }

  static final String MASK = "****";
  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  /**
   * WRITE_DELAY=0: H2 otherwise writes a commit up to 500 ms later, so a kill -9 right after a
   * commit would lose it. DB_CLOSE_ON_EXIT=FALSE: the store closes the database itself; H2's own
   * shutdown hook would close it under an engine still writing its last update.
   */
  private static final String H2_SETTINGS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;#]*");
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@?#:]*:)[^/?#]*@");
  // Below this length a password would also mask ordinary words in messages; the URL itself is
  // masked structurally whatever the length.
  private static final int MIN_MASKED_LITERAL = 4;

  private final Kind kind;
  private final String url;
  private final Properties properties;
  private final String display;
  private final String given;
  private final String password;

  private StoreLocation(Kind kind, String url, Properties properties, String display, String given, String password) {
    this.kind = kind;
    this.url = url;
    this.properties = properties;
    this.display = display;
    this.given = given;
    this.password = password;
  }

  static StoreLocation of(String jdbcUrl, Path stateDir) throws StoreException {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      return h2(stateDir);
    }
    String url = jdbcUrl.strip();
    if (url.startsWith(POSTGRES_PREFIX)) {
      return postgres(url);
    }
    throw new StoreException("open the state store", "unsupported state store URL " + maskUrl(url),
        "use a jdbc:postgresql://host:port/database URL, or leave --store out for the local H2 store");
  }

  static StoreLocation h2(Path stateDir) throws StoreException {
    Objects.requireNonNull(stateDir, "stateDir");
    Path dir = stateDir.toAbsolutePath().normalize().resolve("state");
    Path file = dir.resolve("slipway.mv.db");
    String base = dir.resolve("slipway").toString();
    if (base.contains(";")) {
      // H2 reads everything after a ';' in its URL as settings.
      throw new StoreException("open the state store", "the state directory " + dir + " contains ';'",
          "move the project to a path without ';'");
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new StoreException("open the state store", "cannot create the state directory " + dir + " (" + e + ")",
          "check that the directory is writable", e);
    }
    Properties properties = new Properties();
    properties.setProperty("user", "sa");
    properties.setProperty("password", "");
    return new StoreLocation(Kind.H2, "jdbc:h2:file:" + base + H2_SETTINGS, properties, file.toString(), null, null);
  }

  /**
   * Takes the credentials out of the URL (pgjdbc does not read {@code user:password@}, and out of
   * the URL they cannot leak through the driver's or Flyway's messages) and adds timeouts unless
   * the URL sets its own.
   */
  static StoreLocation postgres(String given) {
    String rest = given.substring(POSTGRES_PREFIX.length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String user = null;
    String password = null;
    if (rest.startsWith("//")) {
      int end = rest.indexOf('/', 2);
      if (end < 0) {
        end = rest.length();
      }
      String authority = rest.substring(2, end);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        rest = "//" + authority.substring(at + 1) + rest.substring(end);
      }
    }
    List<String> kept = new ArrayList<>();
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      String value = eq < 0 ? "" : decode(param.substring(eq + 1));
      switch (key) {
        case "" -> { }
        case "user" -> user = value;
        case "password" -> password = value;
        default -> kept.add(param);
      }
    }
    Properties properties = new Properties();
    // Defaults only: pgjdbc lets parameters in the URL override these.
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    properties.setProperty("socketTimeout", "60");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "slipway");
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    String url = POSTGRES_PREFIX + rest + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return new StoreLocation(Kind.POSTGRESQL, url, properties, maskUrl(given), given, password);
  }

  /**
   * This location with credentials given apart from the URL (a password file, the environment);
   * a null argument keeps what the URL said.
   */
  StoreLocation withCredentials(String newUser, String newPassword) {
    Properties copy = properties();
    if (newUser != null) {
      copy.setProperty("user", newUser);
    }
    if (newPassword != null) {
      copy.setProperty("password", newPassword);
    }
    return new StoreLocation(kind, url, copy, display, given, newPassword != null ? newPassword : password);
  }

  Kind kind() {
    return kind;
  }

  /** The URL for the driver: no user, no password. */
  String url() {
    return url;
  }

  /** A copy of the connection properties, credentials included. */
  Properties properties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  String user() {
    return properties.getProperty("user");
  }

  String password() {
    return properties.getProperty("password");
  }

  /** The place, for messages: the H2 file, or the URL as given with its password masked. */
  String display() {
    return display;
  }

  /** The text with this location's password (and any URL password) replaced by {@value #MASK}. */
  String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = given == null ? text : text.replace(given, display);
    if (password != null && password.length() >= MIN_MASKED_LITERAL) {
      masked = masked.replace(password, MASK).replace(URLEncoder.encode(password, StandardCharsets.UTF_8), MASK);
    }
    return maskUrl(masked);
  }

  static String maskUrl(String text) {
    String masked = PASSWORD_PARAM.matcher(text).replaceAll("$1" + MASK);
    return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1" + MASK + "@");
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // not %-encoded after all: take it as written, as pgjdbc would fail on it with its own message
    }
  }

  @Override
  public String toString() {
    return display;
  }
}
