package dev.slipway.local;

import dev.slipway.model.BackingServiceType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A connection URL of a backing service Slipway does not run, taken apart into the endpoint
 * attributes. Accepts {@code postgres://}, {@code postgresql://}, {@code jdbc:postgresql://} (with
 * {@code user}/{@code password} parameters), {@code redis://}, {@code rediss://} and, for
 * Prometheus, {@code http(s)://}.
 *
 * @param query remaining URL parameters (without user and password), or ""
 */
record ExternalUrl(BackingServiceType type, String host, int port, String username, String password,
    String database, String query, boolean tls, String raw) {

  /** @throws IllegalArgumentException saying what is wrong; never includes the URL (it may hold a password) */
  static ExternalUrl parse(BackingServiceType type, String url) {
    String s = url.trim();
    boolean jdbc = s.startsWith("jdbc:");
    if (jdbc) {
      s = s.substring("jdbc:".length());
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the url is not a valid URI (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the url has no host");
    }
    String[] userInfo = splitUserInfo(uri.getRawUserInfo());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = path.startsWith("/") && path.length() > 1 ? decode(path.substring(1)) : null;
    return switch (type) {
      case POSTGRES -> {
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
          throw new IllegalArgumentException("scheme `" + scheme + "` is not PostgreSQL's");
        }
        String user = userInfo[0];
        String password = userInfo[1];
        List<String> rest = new ArrayList<>();
        for (String param : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
          int eq = param.indexOf('=');
          String key = eq < 0 ? param : param.substring(0, eq);
          String value = eq < 0 ? "" : decode(param.substring(eq + 1));
          switch (key) {
            case "user" -> user = value;
            case "password" -> password = value;
            default -> rest.add(param);
          }
        }
        yield new ExternalUrl(type, uri.getHost(), port(uri, 5432), user, password,
            database == null ? "postgres" : database, String.join("&", rest), false, url);
      }
      case REDIS -> {
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
          throw new IllegalArgumentException("scheme `" + scheme + "` is not Redis's");
        }
        String user = userInfo[0] == null || userInfo[0].isEmpty() ? "default" : userInfo[0];
        yield new ExternalUrl(type, uri.getHost(), port(uri, 6379), user, userInfo[1], database, "",
            scheme.equals("rediss"), url);
      }
      case PROMETHEUS -> {
        if (!scheme.equals("http") && !scheme.equals("https")) {
          throw new IllegalArgumentException("scheme `" + scheme + "` is not http or https");
        }
        yield new ExternalUrl(type, uri.getHost(), port(uri, scheme.equals("https") ? 443 : 80), userInfo[0],
            userInfo[1], null, "", scheme.equals("https"), url);
      }
    };
  }

  /** The example shown when a URL does not parse. */
  static String example(BackingServiceType type) {
    return switch (type) {
      case POSTGRES -> "postgresql://USER:PASSWORD@HOST:5432/DATABASE";
      case REDIS -> "redis://default:PASSWORD@HOST:6379";
      case PROMETHEUS -> "http://HOST:9090";
    };
  }

  Map<String, String> endpoint() {
    return switch (type) {
      case POSTGRES -> Endpoints.postgres(host, port, username, password, database, query);
      case REDIS -> Endpoints.redis(host, port, username, password, tls, database);
      case PROMETHEUS -> Map.of("url", raw.trim(), "host", host, "port", Integer.toString(port));
    };
  }

  private static int port(URI uri, int fallback) {
    return uri.getPort() > 0 ? uri.getPort() : fallback;
  }

  private static String[] splitUserInfo(String raw) {
    if (raw == null) {
      return new String[] {null, null};
    }
    int colon = raw.indexOf(':');
    return colon < 0 ? new String[] {decode(raw), null}
        : new String[] {decode(raw.substring(0, colon)), decode(raw.substring(colon + 1))};
  }

  private static String decode(String s) {
    // URLDecoder turns '+' into a space, which is wrong outside query strings.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ExternalUrl[" + type + " " + host + ":" + port + "]"; // no password in logs
  }
}
