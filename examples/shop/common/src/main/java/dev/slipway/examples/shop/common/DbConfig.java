package dev.slipway.examples.shop.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * How to reach PostgreSQL: a JDBC URL plus optional credentials.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL (it may carry credentials in its query string)
 * @param user the user, or null to use the URL's
 * @param password the password, or null to use the URL's
 */
public record DbConfig(String jdbcUrl, String user, String password) {

  /**
   * Reads {@code DATABASE_URL} and the optional {@code DATABASE_USER} and
   * {@code DATABASE_PASSWORD}. Besides a JDBC URL, {@code DATABASE_URL} may be a
   * {@code postgres://user:password@host:port/db} URL (the form most platforms hand out); its
   * credentials are used unless the separate variables are set.
   */
  public static DbConfig fromEnv(Env env) {
    String url = env.required("DATABASE_URL");
    String user = env.get("DATABASE_USER", null);
    String password = env.get("DATABASE_PASSWORD", null);
    if (url.startsWith("jdbc:")) {
      return new DbConfig(url, user, password);
    }
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new Env.ConfigException("DATABASE_URL must be a jdbc:postgresql:// or postgres:// URL");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Env.ConfigException("DATABASE_URL is not a valid URL");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (user == null) {
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      }
      if (password == null && colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
      }
    }
    String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
    return new DbConfig("jdbc:postgresql://" + hostPort + path + query, user, password);
  }

  private static String decode(String s) {
    // In user info '+' is literal; URLDecoder would make it a space.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL without credentials or parameters, for logs. */
  @Override
  public String toString() {
    return Urls.redact(jdbcUrl) + (user == null ? "" : " as " + user);
  }
}
