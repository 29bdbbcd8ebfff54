package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import dev.slipway.model.Reference;
import dev.slipway.model.SecretNames;
import dev.slipway.model.SecretSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves model references to what they are on a Compose network ({@code ${resources.db.host}} →
 * {@code db}) and collects the variables the Compose file takes from its {@code .env} file. Secret
 * values are never read: a secret becomes {@code ${VAR}}, filled in by whoever runs Compose.
 */
final class ComposeEnv {
  /** Port a service without {@code port:} listens on inside its container (its {@code PORT}). */
  static final int DEFAULT_PORT = 8080;
  static final int POSTGRES_PORT = 5432;
  static final int REDIS_PORT = 6379;
  static final int PROMETHEUS_PORT = 9090;
  static final String REDIS_USER = "default";

  private final AppSpec app;
  /** Variable name → the comment above it in {@code .env.example}; insertion order is file order. */
  private final Map<String, String> variables = new LinkedHashMap<>();

  ComposeEnv(AppSpec app) {
    this.app = app;
  }

  /** {@code ${NAME?…}}: Compose fails with a pointer to the example file when NAME is not set at all. */
  static String interpolate(String variable) {
    return "${" + variable + "?set it in .env, see .env.example}";
  }

  /** A literal for a Compose file: {@code $} would start an interpolation, so it is doubled. */
  static String literal(String text) {
    return text.replace("$", "$$");
  }

  /** {@code cache-db} → {@code CACHE_DB}. */
  static String variableName(String name) {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** Every variable the file uses, with its comment, in the order first used. */
  Map<String, String> variables() {
    return new LinkedHashMap<>(variables);
  }

  private String resolve(Reference ref, ServiceSpec self) {
    return switch (ref.kind()) {
      case SELF -> Integer.toString(self.port() != null ? self.port() : DEFAULT_PORT);
      case SECRETS -> secret(ref.name());
      case SERVICES -> service(app.services().get(ref.name()), ref.attribute());
      case RESOURCES -> resource(app.resources().get(ref.name()), ref.attribute());
    };
  }

  /**
   * The value of a model template in the Compose file: literals escaped, references resolved;
   * {@code ${self.port}} is the container port of {@code self} (null for a resource's url, which
   * cannot hold it).
   */
  String render(Template template, ServiceSpec self) {
    StringBuilder out = new StringBuilder();
    for (Template.Part part : template.parts()) {
      switch (part) {
        case Template.Literal l -> out.append(literal(l.text()));
        case Template.Ref r -> out.append(resolve(r.reference(), self));
      }
    }
    return out.toString();
  }

  /** The variable holding secret {@code name}: its {@code env:} variable, else the secret's name. */
  String secretVariable(String name) {
    SecretSpec spec = app.secrets().get(name);
    return spec != null && spec.source() instanceof SecretSpec.FromEnv e ? e.variable() : variableName(name);
  }

  /** Whether the file uses {@code variable}. */
  boolean uses(String variable) {
    return variables.containsKey(variable);
  }

  private String secret(String name) {
    SecretSpec spec = app.secrets().get(name);
    String variable = secretVariable(name);
    String source = spec == null ? "" : switch (spec.source()) {
      case SecretSpec.FromEnv e -> " (env:" + e.variable() + " in the model)";
      case SecretSpec.FromFile f -> " (file:" + f.path() + " in the model; put the file's content here)";
    };
    variables.putIfAbsent(variable, "secret `" + name + "`" + source);
    return interpolate(variable);
  }

  /** A variable of the Compose file, registered for {@code .env.example}; returns its interpolation. */
  String variable(String name, String comment) {
    variables.putIfAbsent(name, comment);
    return interpolate(name);
  }

  /** The password variable of a backing service Compose runs, registered for {@code .env.example}. */
  String password(BackingServiceSpec resource) {
    String variable = variableName(resource.name()) + "_PASSWORD";
    variables.putIfAbsent(variable, "password of the " + resource.type().key() + " resource `" + resource.name()
        + "` (required; URL-safe characters, it is also part of connection URLs)");
    return interpolate(variable);
  }

  private String service(ServiceSpec s, String attribute) {
    int port = s.port() != null ? s.port() : DEFAULT_PORT;
    return switch (attribute) {
      case "host" -> s.name();
      case "port" -> Integer.toString(port);
      default -> "http://" + s.name() + ":" + port;
    };
  }

  private String resource(BackingServiceSpec r, String attribute) {
    if (r.provider() == Provider.EXTERNAL) {
      if ("url".equals(attribute) && r.url() != null && SecretNames.urlHasPassword(r.url().raw())) {
        // A password written into the URL: the URL is a secret, taken from .env like the others.
        return variable(variableName(r.name()) + "_URL", "url of the external resource `" + r.name()
            + "` (it holds a password, so the model's value is left out: put the URL here)");
      }
      if ("url".equals(attribute) && r.url() != null) {
        return render(r.url(), null);
      }
      String variable = variableName(r.name()) + "_" + variableName(attribute.replaceAll("([a-z])([A-Z])", "$1_$2"));
      variables.putIfAbsent(variable, attribute + " of the external resource `" + r.name() + "`");
      return interpolate(variable);
    }
    String host = r.name();
    return switch (r.type()) {
      case POSTGRES -> {
        String user = ComposeBackingServices.postgresUser(app, r);
        String db = ComposeBackingServices.postgresDatabase(app, r);
        String hostPort = host + ":" + POSTGRES_PORT;
        yield switch (attribute) {
          case "host" -> host;
          case "port" -> Integer.toString(POSTGRES_PORT);
          case "username" -> literal(user);
          case "password" -> password(r);
          case "database" -> literal(db);
          case "jdbcUrl" -> "jdbc:postgresql://" + hostPort + "/" + literal(urlPart(db));
          default -> "postgresql://" + literal(urlPart(user)) + ":" + password(r) + "@" + hostPort + "/"
              + literal(urlPart(db));
        };
      }
      case REDIS -> switch (attribute) {
        case "host" -> host;
        case "port" -> Integer.toString(REDIS_PORT);
        case "username" -> REDIS_USER;
        case "password" -> password(r);
        default -> "redis://" + REDIS_USER + ":" + password(r) + "@" + host + ":" + REDIS_PORT;
      };
      case PROMETHEUS -> switch (attribute) {
        case "host" -> host;
        case "port" -> Integer.toString(PROMETHEUS_PORT);
        default -> "http://" + host + ":" + PROMETHEUS_PORT;
      };
    };
  }

  /** Percent-encodes all but RFC 3986's unreserved characters. */
  private static String urlPart(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
