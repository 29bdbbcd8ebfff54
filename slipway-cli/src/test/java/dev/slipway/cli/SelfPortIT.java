package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model without environments comes up as the local {@code dev}, and {@code ${self.port}} reaches
 * the instance as its allocated port, in {@code env} and in {@code run}: the port it also gets as
 * {@code PORT} and listens on.
 */
class SelfPortIT {
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;

  @BeforeAll
  static void copy() throws Exception {
    work = CliTestSupport.helloFixture("self-port-local", "slipway-self-port-it");
    model = work.resolve("slipway.yaml").toString();
  }

  @AfterAll
  static void down() {
    CliTestSupport.cli("down", "-f", model);
  }

  @Test
  void upWithoutEnvironments_runsDev_andSelfPortIsTheInstancesPort() throws Exception {
    CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model, "--detach");
    assertThat(up.code()).as(up.output()).isZero();
    assertThat(up.out()).contains("Starting selfport (dev)");

    JsonNode instance = CliTestSupport.JSON.readTree(CliTestSupport.cli("status", "-f", model, "--json").out())
        .get("services").get(0).get("instances").get(0);
    long pid = instance.get("pid").asLong();
    int port = instance.get("port").asInt();
    assertThat(port).isPositive();
    List<String> env = Arrays.asList(Files.readString(Path.of("/proc", Long.toString(pid), "environ"),
        StandardCharsets.UTF_8).split("\0"));
    assertThat(env).contains("PORT=" + port, "SERVER_PORT=" + port, "SELF_URL=http://127.0.0.1:" + port + "/");
    assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' '))
        .contains("-Dlistening.on=" + port + " ");
    HttpResponse<String> hello = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(hello.body()).startsWith("hello from");

    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model);
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(down.out()).contains("stopped");
  }
}
