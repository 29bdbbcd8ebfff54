package dev.slipway.engine.runtime;

import dev.slipway.analysis.HttpProbe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Health checks over loopback, as {@link Instance}'s defaults run them. */
final class LocalProbes {
  /** One client for every probe of a control plane. */
  private static final HttpProbe HTTP = new HttpProbe(Duration.ofSeconds(1));
  private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private LocalProbes() {}

  static Probe http(int port, String path) {
    HttpProbe.ProbeResult r = HTTP.probe(port, path);
    return new Probe(r.healthy(), r.detail());
  }

  static int pinnedGet(int port, String release, String path, Duration timeout) throws IOException, InterruptedException {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
        .header("X-Slipway-Version", release).GET().build();
    return CLIENT.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static Probe connect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return new Probe(true, "port " + port + " accepts connections");
    } catch (IOException e) {
      return new Probe(false, "port " + port + " does not accept connections yet");
    }
  }
}
