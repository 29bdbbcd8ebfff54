package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import dev.slipway.model.BackingServiceType;
import dev.slipway.model.Reference;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What references become inside a cluster: other services and in-cluster databases by their Service
 * name (same namespace), passwords and secrets as keys of one Secret the operator creates. Nothing
 * sensitive is ever resolved to a value here.
 */
final class ClusterEndpoints {
  /** The port a service without {@code port:} listens on for its health endpoints. */
  static final int DEFAULT_PORT = 8080;
  /** Where analysis queries go when the model has no external Prometheus: the usual in-cluster one. */
  static final String DEFAULT_PROMETHEUS = "http://prometheus.monitoring.svc:9090";

  /** A piece of a resolved value: plain text, or the key of a value in the app's Secret. */
  sealed interface Piece {}

  record Text(String text) implements Piece {}

  record SecretKey(String key) implements Piece {}

  private ClusterEndpoints() {}

  /** The Secret the operator creates with every sensitive value; generated files only refer to it. */
  static String secretName(AppSpec app) {
    return app.name() + "-secrets";
  }

  /** The Secret key holding a backing service's password. */
  static String passwordKey(BackingServiceSpec r) {
    return r.name() + "-password";
  }

  static int port(ServiceSpec s) {
    return s.port() != null ? s.port() : DEFAULT_PORT;
  }

  static int port(BackingServiceSpec r) {
    return switch (r.type()) {
      case POSTGRES -> 5432;
      case REDIS -> 6379;
      case PROMETHEUS -> 9090;
    };
  }

  /** Whether the generated output runs this backing service itself (a StatefulSet). */
  static boolean inCluster(BackingServiceSpec r) {
    return r.provider() != Provider.EXTERNAL && r.type() != BackingServiceType.PROMETHEUS;
  }

  static String database(AppSpec app, BackingServiceSpec r) {
    return r.database() != null ? r.database() : app.name();
  }

  static String username(AppSpec app, BackingServiceSpec r) {
    if (r.type() == BackingServiceType.REDIS) {
      return "default";
    }
    return r.username() != null ? r.username() : app.name();
  }

  /**
   * A value of service {@code self} with every reference resolved for the cluster; {@code ${self.port}}
   * is the container port.
   */
  static List<Piece> resolve(AppSpec app, ServiceSpec self, Template template) {
    List<Piece> out = new ArrayList<>();
    for (Template.Part part : template.parts()) {
      switch (part) {
        case Template.Literal l -> out.add(new Text(l.text()));
        case Template.Ref r -> out.addAll(resolve(app, self, r.reference()));
      }
    }
    return merge(out);
  }

  static List<Piece> resolve(AppSpec app, ServiceSpec self, Reference ref) {
    return switch (ref.kind()) {
      case SELF -> List.of(new Text(Integer.toString(port(self))));
      case SECRETS -> List.of(new SecretKey(ref.name()));
      case SERVICES -> {
        ServiceSpec s = app.service(ref.name());
        yield List.of(new Text(switch (ref.attribute()) {
          case "host" -> s.name();
          case "port" -> Integer.toString(port(s));
          default -> "http://" + s.name() + ":" + port(s);
        }));
      }
      case RESOURCES -> resource(app, app.resources().get(ref.name()), ref.attribute());
    };
  }

  private static List<Piece> resource(AppSpec app, BackingServiceSpec r, String attribute) {
    if (r.provider() == Provider.EXTERNAL) {
      return external(app, r, attribute);
    }
    String host = r.name();
    int port = port(r);
    Piece password = new SecretKey(passwordKey(r));
    return switch (r.type()) {
      case POSTGRES -> switch (attribute) {
        case "url" -> List.of(new Text("postgresql://" + username(app, r) + ":"), password,
            new Text("@" + host + ":" + port + "/" + database(app, r)));
        case "jdbcUrl" -> List.of(new Text("jdbc:postgresql://" + host + ":" + port + "/" + database(app, r)));
        case "password" -> List.of(password);
        default -> List.of(new Text(plain(app, r, attribute, host, port)));
      };
      case REDIS -> switch (attribute) {
        case "url" -> List.of(new Text("redis://:"), password, new Text("@" + host + ":" + port));
        case "password" -> List.of(password);
        default -> List.of(new Text(plain(app, r, attribute, host, port)));
      };
      case PROMETHEUS -> List.of(new Text(prometheusAttribute(DEFAULT_PROMETHEUS, attribute)));
    };
  }

  private static String plain(AppSpec app, BackingServiceSpec r, String attribute, String host, int port) {
    return switch (attribute) {
      case "host" -> host;
      case "port" -> Integer.toString(port);
      case "username" -> username(app, r);
      default -> database(app, r);
    };
  }

  /**
   * An external service: its URL (and password) may be secret, so they come from the Secret under
   * {@code NAME-url} / {@code NAME-password}; host, port and database are read from the URL as written.
   */
  private static List<Piece> external(AppSpec app, BackingServiceSpec r, String attribute) {
    if (r.type() == BackingServiceType.PROMETHEUS && r.url() != null && r.url().references().isEmpty()
        && !dev.slipway.model.SecretNames.urlHasPassword(r.url().raw())) {
      return List.of(new Text(prometheusAttribute(r.url().raw(), attribute)));
    }
    URI uri = parse(r);
    return switch (attribute) {
      case "url" -> List.of(new SecretKey(r.name() + "-url"));
      case "password" -> List.of(new SecretKey(passwordKey(r)));
      case "host" -> List.of(new Text(uri == null ? r.name() : uri.getHost()));
      case "port" -> List.of(new Text(Integer.toString(uri == null || uri.getPort() < 0 ? port(r) : uri.getPort())));
      case "jdbcUrl" -> List.of(new Text("jdbc:postgresql://" + (uri == null ? r.name() + ":" + port(r)
          : uri.getHost() + ":" + (uri.getPort() < 0 ? port(r) : uri.getPort())) + "/" + externalDatabase(app, r, uri)));
      case "database" -> List.of(new Text(externalDatabase(app, r, uri)));
      default -> List.of(new Text(uri != null && uri.getUserInfo() != null
          ? uri.getUserInfo().split(":", 2)[0] : username(app, r)));
    };
  }

  private static String externalDatabase(AppSpec app, BackingServiceSpec r, URI uri) {
    String path = uri == null ? null : uri.getPath();
    return path != null && path.length() > 1 ? path.substring(1) : database(app, r);
  }

  private static URI parse(BackingServiceSpec r) {
    if (r.url() == null) {
      return null;
    }
    String text = r.url().render(ref -> "x");
    try {
      URI uri = URI.create(text.startsWith("jdbc:") ? text.substring(5) : text);
      return uri.getHost() == null ? null : uri;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String prometheusAttribute(String url, String attribute) {
    URI uri = URI.create(url);
    return switch (attribute) {
      case "host" -> uri.getHost();
      case "port" -> Integer.toString(uri.getPort() < 0 ? 80 : uri.getPort());
      default -> url;
    };
  }

  /** The name of the env variable that carries one Secret key inside a composed value. */
  static String helperVariable(String key) {
    return "SLIPWAY_SECRET_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static List<Piece> merge(List<Piece> pieces) {
    List<Piece> out = new ArrayList<>();
    for (Piece p : pieces) {
      if (p instanceof Text t && !out.isEmpty() && out.getLast() instanceof Text prev) {
        out.set(out.size() - 1, new Text(prev.text() + t.text()));
      } else if (!(p instanceof Text t2 && t2.text().isEmpty())) {
        out.add(p);
      }
    }
    return out;
  }
}
