package dev.slipway.cli;

import dev.slipway.api.StatusView;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway demo}: the bundled example end to end: bring the shop up, place an order through
 * its API, watch the worker process it, show the status, stop everything.
 */
@Command(name = "demo", description = "Run the bundled example (examples/shop) end to end.")
final class DemoCommand implements Callable<Integer> {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The example's model (default: examples/shop/slipway.yaml).")
  Path file;

  @Option(names = "--keep", description = "Leave the stack running at the end.")
  boolean keep;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.FileOption model = new ModelOptions.FileOption();
    model.file = file != null ? file : defaultExample();
    long started = System.nanoTime();
    out.println(Style.bold("== 1. slipway up --detach") + " " + model.file());
    int up = UpCommand.start(model, "dev", true, out);
    if (up != 0) {
      return up;
    }
    long upMillis = (System.nanoTime() - started) / 1_000_000;
    int failed = 0;
    long processMillis = -1;
    try {
      ControlPlaneClient client = ControlPlaneClient.find(model.stateDir())
          .orElseThrow(() -> new CliException(1, "the control plane disappeared", null));
      StatusView status = client.status();
      String api = status.services().stream().filter(s -> s.name().equals("api")).findFirst()
          .map(StatusView.ServiceView::url)
          .orElseThrow(() -> new CliException(1, "the example has no api service", null));
      out.println();
      out.println(Style.bold("== 2. place an order") + " POST " + api + "/orders");
      HttpClient http = HttpClient.newHttpClient();
      long t0 = System.nanoTime();
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"slipway demo\",\"quantity\":2}")).build(),
          HttpResponse.BodyHandlers.ofString());
      out.println("   " + created.statusCode() + " " + created.body());
      Matcher id = ID.matcher(created.body());
      if (created.statusCode() != 201 || !id.find()) {
        throw new CliException(1, "the api did not accept the order", "see `slipway logs api`");
      }
      String state = "";
      while (System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(api + "/orders/" + id.group(1))).build(),
            HttpResponse.BodyHandlers.ofString());
        Matcher st = STATUS.matcher(got.body());
        state = st.find() ? st.group(1) : "?";
        if (got.statusCode() >= 500) {
          failed++;
        }
        if ("PROCESSED".equals(state)) {
          processMillis = (System.nanoTime() - t0) / 1_000_000;
          out.println("   order " + id.group(1) + " is PROCESSED by the worker after " + processMillis + " ms");
          break;
        }
        Thread.sleep(50);
      }
      if (processMillis < 0) {
        throw new CliException(1, "order " + id.group(1) + " was not processed within 10s (status " + state + ")",
            "see `slipway logs worker`");
      }
      out.println();
      out.println(Style.bold("== 3. slipway status"));
      StatusTable.render(client.status()).forEach(out::println);
    } finally {
      if (!keep) {
        out.println();
        out.println(Style.bold("== 4. slipway down"));
        DownCommand.stop(model, false, out);
      }
    }
    out.printf("demo: up_ms=%d order_processed_ms=%d failed=%d%n", upMillis, processMillis, failed);
    out.flush();
    return 0;
  }

  private static Path defaultExample() {
    String home = System.getenv("SLIPWAY_HOME");
    Path base = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    Path example = base.resolve("examples/shop/slipway.yaml");
    if (!Files.exists(example)) {
      throw new CliException(2, "the bundled example is not at " + example, "pass -f PATH/TO/slipway.yaml");
    }
    return example;
  }
}
