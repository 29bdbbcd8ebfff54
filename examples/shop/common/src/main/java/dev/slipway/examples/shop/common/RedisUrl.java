package dev.slipway.examples.shop.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where and how to reach Redis, parsed from {@code redis://[user[:password]@]host[:port][/db]}
 * ({@code rediss://} for TLS). User and password are percent-decoded.
 *
 * @param tls whether to connect with TLS ({@code rediss://})
 * @param host the host name or address
 * @param port the port, 6379 when not given
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param database the database number, 0 when not given
 */
public record RedisUrl(boolean tls, String host, int port, String user, String password, int database) {

  /** Parses a Redis URL; the exception message never contains the URL's credentials. */
  public static RedisUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + Urls.redact(url));
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("expected a redis:// or rediss:// URL, got " + Urls.redact(url));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + Urls.redact(url)
          + " (characters like @ / : # in the password must be percent-encoded)");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      if (user.isEmpty()) {
        user = null;
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("database must be a number in " + Urls.redact(url));
      }
    }
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    return new RedisUrl("rediss".equals(scheme), uri.getHost(), port, user, password, database);
  }

  private static String decode(String s) {
    // URLDecoder would turn '+' into a space; in a URL's user info '+' is a literal '+'.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL without credentials, for logs. */
  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
  }
}
