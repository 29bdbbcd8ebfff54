package dev.slipway.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.ApiPaths;
import dev.slipway.api.ControlPlaneInfo;
import dev.slipway.api.DownRequest;
import dev.slipway.api.ErrorView;
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
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Finds the control plane of a model (from {@code .slipway/run/}) and talks to its HTTP API. */
final class ControlPlaneClient {
  static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final ControlPlaneInfo info;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private ControlPlaneClient(ControlPlaneInfo info, String token) {
    this.info = info;
    this.token = token;
  }

  /** The live control plane for the state directory, if one runs and answers. */
  static Optional<ControlPlaneClient> find(Path stateDir) {
    Path infoFile = stateDir.resolve(ApiPaths.INFO_FILE);
    Path tokenFile = stateDir.resolve(ApiPaths.TOKEN_FILE);
    try {
      if (!Files.exists(infoFile) || !Files.exists(tokenFile)) {
        return Optional.empty();
      }
      ControlPlaneInfo info = JSON.readValue(infoFile.toFile(), ControlPlaneInfo.class);
      if (!info.isAlive()) {
        return Optional.empty();
      }
      ControlPlaneClient client = new ControlPlaneClient(info, Files.readString(tokenFile).trim());
      return client.answers() ? Optional.of(client) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  ControlPlaneInfo info() {
    return info;
  }

  boolean answers() {
    try {
      HttpResponse<Void> r = http.send(request(ApiPaths.HEALTH).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The sequence number of the newest event the control plane kept (0 when none). */
  long lastEventSeq() {
    EventView[] events = getJson(ApiPaths.EVENTS + "?follow=false&after=0", EventView[].class);
    return events.length == 0 ? 0 : events[events.length - 1].seq();
  }

  /** POSTs {@code body} as JSON to {@code path} and reads the answer as {@code type}. */
  <T> T post(String path, Object body, Class<T> type) {
    try {
      return exchange(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  <T> T get(String path, Class<T> type) {
    return getJson(path, type);
  }

  StatusView status() {
    return getJson(ApiPaths.STATUS, StatusView.class);
  }

  void down(boolean volumes) {
    post(ApiPaths.DOWN, new DownRequest(volumes), java.util.Map.class);
  }

  /**
   * Streams events after {@code after} to {@code consumer} until {@code stop} says so or the stream
   * ends (the control plane exited). Returns the last event seen, or null.
   */
  EventView events(long after, Consumer<EventView> consumer, Predicate<EventView> stop) {
    EventView[] last = {null};
    try {
      streamLines(ApiPaths.EVENTS + "?after=" + after, line -> {
        if (!line.startsWith("data: ")) {
          return true;
        }
        EventView e = JSON.readValue(line.substring(6), EventView.class);
        last[0] = e;
        consumer.accept(e);
        return !stop.test(e);
      });
    } catch (IOException e) {
      // The control plane went away: the caller decides what that means.
    }
    return last[0];
  }

  /** Streams a service's log (tail, then follow) to {@code lines}. */
  void logs(String service, int tail, boolean follow, Consumer<String> lines) {
    logs(service, null, tail, follow, lines);
  }

  /** Streams the log of a service's instances of {@code release} (null: those running now) to {@code lines}. */
  void logs(String service, String release, int tail, boolean follow, Consumer<String> lines) {
    String query = "?tail=" + tail + "&follow=" + follow + (release == null ? ""
        : "&release=" + java.net.URLEncoder.encode(release, java.nio.charset.StandardCharsets.UTF_8));
    try {
      streamLines(ApiPaths.SERVICES + service + "/logs" + query, line -> {
        lines.accept(line);
        return true;
      });
    } catch (IOException e) {
      if (!follow) {
        throw unreachable(e);
      }
    }
  }

  /** What to do with one streamed line; false stops reading. */
  @FunctionalInterface
  private interface LineHandler {
    boolean handle(String line) throws IOException;
  }

  private void streamLines(String path, LineHandler handler) throws IOException {
    try {
      HttpResponse<InputStream> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        try (InputStream in = r.body()) {
          check(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (!handler.handle(line)) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T getJson(String path, Class<T> type) {
    return exchange(request(path).timeout(Duration.ofSeconds(10)).build(), type);
  }

  /** Sends {@code request}, turns errors into CliExceptions, reads the JSON answer as {@code type}. */
  private <T> T exchange(HttpRequest request, Class<T> type) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      check(r.statusCode(), r.body());
      return JSON.readValue(r.body(), type);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted", null);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(info.url() + path)).header("Authorization", "Bearer " + token);
  }

  private static void check(int status, String body) {
    if (status < 400) {
      return;
    }
    try {
      ErrorView e = JSON.readValue(body, ErrorView.class);
      List<String> d = e.details();
      if (d.size() >= 2) {
        // The engine's message, then its hint, then evidence.
        throw new CliException(status == 404 || status == 400 ? 2 : 1, d.get(0), d.get(1), d.subList(2, d.size()));
      }
      throw new CliException(status == 404 || status == 400 ? 2 : 1, e.title() + ": " + String.join("; ", d), null);
    } catch (IOException notJson) {
      throw new CliException(1, "control plane answered HTTP " + status, null, List.of(body));
    }
  }

  private CliException unreachable(IOException e) {
    return new CliException(1, "the control plane at " + info.url() + " stopped answering (" + e.getMessage() + ")",
        "see .slipway/" + ApiPaths.CONTROL_PLANE_LOG);
  }
}
