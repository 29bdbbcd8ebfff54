package dev.slipway.local;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The attribute maps references resolve to ({@code ${resources.db.url}} and friends). */
final class Endpoints {

  static final String LOOPBACK = "127.0.0.1";

  private Endpoints() {}

  /**
   * @param query URL parameters without the leading '?', or "" (kept in both URLs)
   */
  static Map<String, String> postgres(String host, int port, String user, String password, String database,
      String query) {
    String q = query == null || query.isEmpty() ? "" : "?" + query;
    String hostPort = hostForUrl(host) + ":" + port;
    Map<String, String> m = new LinkedHashMap<>();
    m.put("url", "postgresql://" + userInfo(user, password) + hostPort + "/" + encode(database) + q);
    m.put("jdbcUrl", "jdbc:postgresql://" + hostPort + "/" + encode(database) + q);
    m.put("host", host);
    m.put("port", Integer.toString(port));
    putIfPresent(m, "username", user);
    putIfPresent(m, "password", password);
    m.put("database", database);
    return Map.copyOf(m);
  }

  static Map<String, String> redis(String host, int port, String user, String password, boolean tls, String database) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("url", (tls ? "rediss://" : "redis://") + userInfo(user, password) + hostForUrl(host) + ":" + port
        + (database == null || database.isEmpty() ? "" : "/" + database));
    m.put("host", host);
    m.put("port", Integer.toString(port));
    putIfPresent(m, "username", user);
    putIfPresent(m, "password", password);
    putIfPresent(m, "database", database);
    return Map.copyOf(m);
  }

  private static void putIfPresent(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String userInfo(String user, String password) {
    if (user == null && password == null) {
      return "";
    }
    return (user == null ? "" : encode(user)) + (password == null ? "" : ":" + encode(password)) + "@";
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Percent-encodes all but RFC 3986's unreserved characters (URLEncoder's '+' for space is wrong here). */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
