package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A backing service that runs elsewhere: its URL is taken apart, and health is a real check against it. */
final class ExternalProvider implements BackingServiceProvider {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Override
  public String id() {
    return "external";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    if (externalUrl == null || externalUrl.isBlank()) {
      throw new TargetException(spec.name(), "resource `" + spec.name() + "` is external but has no url",
          "set `resources." + spec.name() + ".url`, e.g. " + ExternalUrl.example(spec.type()), List.of());
    }
    ExternalUrl url;
    try {
      url = ExternalUrl.parse(spec.type(), externalUrl);
    } catch (IllegalArgumentException e) {
      throw new TargetException(spec.name(), "the url of resource `" + spec.name() + "` cannot be used: "
          + e.getMessage(), "write it as " + ExternalUrl.example(spec.type()), List.of());
    }
    ctx.masker().register(url.password());
    var endpoint = url.endpoint();
    BooleanSupplier probe = switch (spec.type()) {
      case POSTGRES -> () -> PostgresProbe.healthy(endpoint.get("jdbcUrl"), url.username(), url.password());
      case REDIS -> () -> RedisProbe.healthy(url.host(), url.port(), url.username(), url.password(), url.tls(),
          TIMEOUT);
      case PROMETHEUS -> () -> httpOk(URI.create(stripSlash(url.raw().trim()) + "/-/healthy"), TIMEOUT);
    };
    return new ExternalBackingService(spec.name(), endpoint, probe);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Whether a GET of {@code uri} answers 2xx within {@code timeout} (connection and answer each). */
  static boolean httpOk(URI uri, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
