package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.api.ErrorView;
import dev.slipway.api.team.TeamPaths;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The team server's client ({@code slipway server}, docs/promotion.md): where it is and whose token to
 * send ({@code SLIPWAY_SERVER} + {@code SLIPWAY_TOKEN}, else {@code slipway login}'s file), and its API
 * over HTTP. Its errors ({@link ErrorView}) become {@link CliException}s: 401/403 exit 1 with the
 * server's words (which role is needed), 400/404/409/422 exit 2, anything else and an unreachable
 * server exit 1. The token goes only into the {@code Authorization} header: never into a message.
 */
final class TeamClient {
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final String server;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();

  TeamClient(String server, String token) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.token = token;
  }

  /** The server's base URL, as configured. */
  String server() {
    return server;
  }

  /** The configured server, if any: the environment's first, else the login file's. */
  static Optional<TeamClient> configured(Main main) {
    String server = main.env.apply(TeamPaths.SERVER_VARIABLE);
    if (server != null && !server.isBlank()) {
      String token = main.env.apply(TeamPaths.TOKEN_VARIABLE);
      if (token == null || token.isBlank()) {
        throw new CliException(1, TeamPaths.SERVER_VARIABLE + " is set but " + TeamPaths.TOKEN_VARIABLE + " is not",
            "set " + TeamPaths.TOKEN_VARIABLE + " to your token too, or unset " + TeamPaths.SERVER_VARIABLE
                + " and use `slipway login --server URL`");
      }
      return Optional.of(new TeamClient(server.strip(), token.strip()));
    }
    return Credentials.read(Credentials.file(main.env)).map(c -> new TeamClient(c.server(), c.token()));
  }

  /** The configured server, or exit 1 saying how to configure one. */
  static TeamClient required(CommandLine.Model.CommandSpec spec) {
    return configured(Main.of(spec)).orElseThrow(() -> new CliException(1, "no team server is configured",
        "log in with `slipway login --server URL` (or set " + TeamPaths.SERVER_VARIABLE + " and "
            + TeamPaths.TOKEN_VARIABLE + "); a team starts one with `slipway server`"));
  }

  <T> T get(String path, Class<T> type) {
    return read(send(request(path).GET()), type);
  }

  <T> T get(String path, TypeReference<T> type) {
    return read(send(request(path).GET()), type);
  }

  /** A long poll: GET that the server may hold up to {@code wait} before it answers. */
  <T> T poll(String path, Duration wait, Class<T> type) {
    return read(send(request(path).GET().timeout(wait.plusSeconds(30))), type);
  }

  /** POSTs {@code body} as JSON (none when null: an action that takes no parameters). */
  <T> T post(String path, Object body, Class<T> type) {
    return read(send(request(path).header("Content-Type", "application/json").POST(body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes(body)))), type);
  }

  /** A POST the server may take up to {@code timeout} to answer (a preview starting a whole stack). */
  <T> T post(String path, Object body, Class<T> type, Duration timeout) {
    return read(send(request(path).timeout(timeout).header("Content-Type", "application/json").POST(body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes(body)))), type);
  }

  <T> T put(String path, Object body, Class<T> type) {
    return read(send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))), type);
  }

  void delete(String path) {
    send(request(path).DELETE());
  }

  /** A DELETE the server may take up to {@code timeout} to answer (a preview stopping a whole stack). */
  <T> T delete(String path, Class<T> type, Duration timeout) {
    return read(send(request(path).timeout(timeout).DELETE()), type);
  }

  /** {@code value} for a URL's path or query. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    URI uri;
    try {
      uri = URI.create(server + path);
    } catch (IllegalArgumentException e) {
      throw new CliException(2, "the team server's address `" + server + "` is not a URL",
          "give one like http://127.0.0.1:7070 (" + TeamPaths.SERVER_VARIABLE + " or `slipway login --server URL`)");
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw new CliException(2, "the team server's address `" + server + "` is not an http(s) URL",
          "give one like http://127.0.0.1:7070 (" + TeamPaths.SERVER_VARIABLE + " or `slipway login --server URL`)");
    }
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Accept", "application/json")
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      check(r.statusCode(), r.body());
      return r;
    } catch (IOException e) {
      throw new CliException(1, "cannot reach the team server at " + server + " (" + reason(e) + ")",
          "is it running? A team starts it with `slipway server`; check " + TeamPaths.SERVER_VARIABLE
              + " or `slipway login --server URL`", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted", null);
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException || m == null || m.isBlank()) {
      return "connection refused";
    }
    return e instanceof java.net.http.HttpTimeoutException ? "no answer in time" : m;
  }

  /** An error answer as the server phrased it: its first detail, then its hint, then the rest. */
  static void check(int status, String body) {
    if (status < 400) {
      return;
    }
    int exit = switch (status) {
      case 400, 404, 409, 422 -> 2;
      default -> 1;
    };
    ErrorView e;
    try {
      e = JSON.readValue(body, ErrorView.class);
    } catch (IOException notJson) {
      e = null;
    }
    if (e == null || e.title() == null && (e.details() == null || e.details().isEmpty())) {
      throw new CliException(exit, "the team server answered HTTP " + status
          + (status == 401 ? ": the token is not accepted" : ""), status == 401 ? "log in again: `slipway login --server URL`"
          : null);
    }
    List<String> d = e.details() == null ? List.of() : e.details();
    String message = d.isEmpty() ? e.title() : d.get(0);
    String hint = d.size() > 1 ? d.get(1) : status == 401 ? "log in again: `slipway login --server URL`" : null;
    throw new CliException(exit, message, hint, d.size() > 2 ? d.subList(2, d.size()) : List.of());
  }

  private static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the API's records always serialise", e);
    }
  }

  private <T> T read(HttpResponse<String> r, Class<T> type) {
    if (type == Void.class) {
      return null;
    }
    try {
      return JSON.readValue(r.body(), type);
    } catch (JsonProcessingException e) {
      throw notUnderstood(r, e);
    }
  }

  private <T> T read(HttpResponse<String> r, TypeReference<T> type) {
    try {
      return JSON.readValue(r.body(), type);
    } catch (JsonProcessingException e) {
      throw notUnderstood(r, e);
    }
  }

  private CliException notUnderstood(HttpResponse<String> r, JsonProcessingException e) {
    return new CliException(1, "the team server at " + server + " answered " + r.request().uri().getPath()
        + " with something this slipway does not understand (" + e.getOriginalMessage() + ")",
        "is it the same version as this CLI? `slipway whoami` shows the server's", e);
  }

  /** Prints {@code value} as indented JSON: what {@code --json} shows. */
  static String pretty(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the API's records always serialise", e);
    }
  }
}
