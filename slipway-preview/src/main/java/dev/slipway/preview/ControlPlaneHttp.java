package dev.slipway.preview;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.ControlPlaneInfo;
import dev.slipway.api.DownRequest;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.StatusView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The few calls a preview makes to its control plane (status, events, down), found through the
 * control plane's files in the preview's state directory as {@code slipway} finds one in {@code .slipway/}.
 */
final class ControlPlaneHttp {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final ControlPlaneInfo info;
  private final String token;

  private ControlPlaneHttp(ControlPlaneInfo info, String token) {
    this.info = info;
    this.token = token;
  }

  /** The control plane whose files are in {@code stateDir}, when its process lives (it may not answer yet). */
  static Optional<ControlPlaneHttp> find(Path stateDir) {
    Path infoFile = stateDir.resolve(ApiPaths.INFO_FILE);
    Path tokenFile = stateDir.resolve(ApiPaths.TOKEN_FILE);
    try {
      if (!Files.exists(infoFile) || !Files.exists(tokenFile)) {
        return Optional.empty();
      }
      ControlPlaneInfo info = Registry.JSON.readValue(infoFile.toFile(), ControlPlaneInfo.class);
      return info.isAlive() ? Optional.of(new ControlPlaneHttp(info, Files.readString(tokenFile).strip()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // being written: the caller looks again
    }
  }

  ControlPlaneInfo info() {
    return info;
  }

  StatusView status() throws IOException {
    HttpResponse<String> r = send(request(ApiPaths.STATUS).timeout(Duration.ofSeconds(10)).GET().build());
    return Registry.JSON.readValue(r.body(), StatusView.class);
  }

  /** Asks it to stop everything and delete the backing services' data; returns at once. */
  void down() throws IOException {
    send(request(ApiPaths.DOWN).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Registry.JSON.writeValueAsBytes(new DownRequest(true)))).build());
  }

  /**
   * Follows the event stream from the start until the stack is ready or the control plane shuts down;
   * returns the last event, or null when the stream ended first.
   */
  EventView awaitReadyOrShutdown(Consumer<EventView> each) throws IOException {
    try {
      HttpResponse<InputStream> r = HTTP.send(request(ApiPaths.EVENTS + "?after=0").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        if (r.statusCode() != 200) {
          throw new IOException("the control plane answered HTTP " + r.statusCode() + " to " + ApiPaths.EVENTS);
        }
        String line;
        while ((line = reader.readLine()) != null) {
          if (!line.startsWith("data: ")) {
            continue;
          }
          EventView e = Registry.JSON.readValue(line.substring(6), EventView.class);
          each.accept(e);
          if (e.kind().equals(EventKind.STACK_READY) || e.kind().equals(EventKind.SHUTDOWN)) {
            return e;
          }
        }
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 400) {
        throw new IOException("the control plane answered HTTP " + r.statusCode() + " to " + request.uri().getPath()
            + ": " + r.body());
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(info.url() + path)).header("Authorization", "Bearer " + token);
  }
}
