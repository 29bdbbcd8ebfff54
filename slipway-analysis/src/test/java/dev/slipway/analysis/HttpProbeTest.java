package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  private HttpServer server;
  private final HttpProbe probe = new HttpProbe(Duration.ofMillis(1000));

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.createContext("/down", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.createContext("/slow", ex -> {
      try {
        Thread.sleep(4000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void probe_when2xx_isHealthy() {
    HttpProbe.ProbeResult r = probe.probe(server.getAddress().getPort(), "/ok");
    assertThat(r.healthy()).isTrue();
    assertThat(r.status()).isEqualTo(204);
  }

  @Test
  void probe_when503_isUnhealthyAndSaysSo() {
    HttpProbe.ProbeResult r = probe.probe(server.getAddress().getPort(), "/down");
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("answered HTTP 503");
  }

  @Test
  void probe_whenNothingListens_reportsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpProbe.ProbeResult r = probe.probe(port, "/ok");
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("connection refused");
  }

  @Test
  void probe_whenAnswerIsSlowerThanTimeout_isUnhealthyWithinTheTimeout() {
    HttpProbe.ProbeResult r = probe.probe(server.getAddress().getPort(), "/slow");
    assertThat(r.healthy()).isFalse();
    assertThat(r.took()).isLessThan(Duration.ofMillis(3000));
  }
}
