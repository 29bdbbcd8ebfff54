package dev.slipway.cli;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.RolloutRequest;
import dev.slipway.api.StatusView;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway demo}: the bundled shop end to end. Brings it up, drives steady load through the
 * router, ships api v2 by canary (promoted through its pauses), then v3 with 5% injected errors,
 * which the analysis rolls back on its own; ends with a one-line summary.
 */
@Command(name = "demo", description = "Run the bundled example (examples/shop) end to end: up, load, canary, automatic rollback.")
final class DemoCommand implements Callable<Integer> {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
  private static final Set<String> END = Set.of(EventKind.ROLLOUT_SUCCEEDED, EventKind.ROLLOUT_ROLLED_BACK,
      EventKind.ROLLOUT_ABORTED, EventKind.SHUTDOWN);

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The example's model (default: examples/shop/slipway.yaml).")
  Path file;

  @Option(names = "--rate", defaultValue = "500", description = "Requests per second of steady load (default: 500).")
  int rate;

  @Option(names = "--keep", description = "Leave the stack running at the end.")
  boolean keep;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.FileOption model = new ModelOptions.FileOption();
    model.file = file != null ? file : defaultExample();
    heading(out, "1. slipway up --detach " + model.file());
    int up = UpCommand.start(model, dev.slipway.model.ModelLoader.DEFAULT_ENVIRONMENT, true, out);
    if (up != 0) {
      return up;
    }
    ControlPlaneClient client = ReleaseCommands.client(model);
    String api = service(client.status(), "api").url();
    try {
      heading(out, "2. place an order through the router: POST " + api + "/orders");
      placeOrder(out, api);

      heading(out, "3. steady load: " + rate + " requests/s on GET " + api + "/version");
      try (LoadGenerator load = new LoadGenerator(URI.create(api + "/version"), rate, 32)) {
        load.start();
        Thread.sleep(2000);

        heading(out, "4. slipway deploy api --version v2 (canary; the demo promotes through its pauses)");
        DeploymentView v2 = deploy(client, out, new DeployRequest("v2", Map.of(), null, false, true), true);

        heading(out, "5. slipway deploy api --version v3 --set FAULT_ERROR_RATE=0.05 (5% errors: rolled back on its own)");
        DeploymentView v3 = deploy(client, out, new DeployRequest("v3", Map.of("FAULT_ERROR_RATE", "0.05"), null,
            false, true), false);
        Thread.sleep(1500);
        load.close();

        heading(out, "6. slipway status");
        StatusTable.render(client.status()).forEach(out::println);
        double rollbackSeconds = rollbackSeconds(load, v3.to());
        out.println();
        out.printf("served: %s; v3 answered %d requests (%d of them injected 5xx)%n", load.served.keySet(),
            load.served(v3.to()), load.serverErrors.getOrDefault(v3.to(), new java.util.concurrent.atomic.LongAdder()).sum());
        out.printf("v2 is %s, v3 was rolled back%n", v2.to());
        if (load.failedExcept(v3.to()) > 0) {
          out.println("failed requests (first ones): " + load.failures);
        }
        if (!keep) {
          heading(out, "7. slipway down");
          DownCommand.stop(model, false, out);
        }
        out.printf("demo: requests=%d failed=%d rollback_seconds=%.2f%n", load.requests.sum(),
            load.failedExcept(v3.to()), rollbackSeconds);
        out.flush();
        return 0;
      }
    } catch (RuntimeException | InterruptedException e) {
      if (!keep) {
        DownCommand.stop(model, false, out);
      }
      throw e;
    }
  }

  /** Deploys and follows the rollout; with {@code promote}, continues each pause at once. */
  private static DeploymentView deploy(ControlPlaneClient client, PrintWriter out, DeployRequest request,
      boolean promote) {
    long after = client.lastEventSeq();
    DeploymentView d = client.post(ReleaseCommands.path("api", "deploy"), request, DeploymentView.class);
    out.println("   " + ReleaseCommands.summary(d));
    long t0 = System.nanoTime();
    AnalysisLines analysis = new AnalysisLines();
    EventView last = client.events(after, e -> {
      if (!"api".equals(e.subject())
          || (e.kind().equals(EventKind.ANALYSIS) && !analysis.show(e.message(), (System.nanoTime() - t0) / 1e9))) {
        return;
      }
      if (e.kind().equals(EventKind.ROLLOUT_STEP) || e.kind().equals(EventKind.ANALYSIS) || END.contains(e.kind())
          || e.kind().equals(EventKind.ROLLOUT_PAUSED)) {
        out.printf("   %5.1fs %s%n", (System.nanoTime() - t0) / 1e9, e.message());
        out.flush();
      }
      if (promote && e.kind().equals(EventKind.ROLLOUT_STEP) && e.message().contains(": pause")) {
        client.post(ReleaseCommands.path("api", "promote"), new RolloutRequest(false, null), DeploymentView.class);
        out.printf("   %5.1fs slipway promote api (skip the pause)%n", (System.nanoTime() - t0) / 1e9);
      }
    }, e -> e.kind().equals(EventKind.SHUTDOWN) || (END.contains(e.kind()) && "api".equals(e.subject())
        && e.details().get("deployment") instanceof Number n && n.longValue() == d.id()));
    if (last == null || last.kind().equals(EventKind.SHUTDOWN)) {
      throw new CliException(1, "the control plane went away during the rollout", "see .slipway/logs/control-plane.log");
    }
    boolean wantSuccess = request.set().isEmpty();
    if (wantSuccess != last.kind().equals(EventKind.ROLLOUT_SUCCEEDED)) {
      throw new CliException(1, "rollout of " + d.to() + " ended unexpectedly: " + last.message(),
          "see `slipway history api`");
    }
    return d;
  }

  private static double rollbackSeconds(LoadGenerator load, String release) {
    var first = load.firstErrorAt.get(release);
    var last = load.lastServedAt.get(release);
    if (first == null || last == null) {
      return 0;
    }
    return Math.max(0, last.get() - first.get()) / 1e9;
  }

  private static void placeOrder(PrintWriter out, String api) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"slipway demo\",\"quantity\":2}")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher id = ID.matcher(created.body());
    if (created.statusCode() != 201 || !id.find()) {
      throw new CliException(1, "the api did not accept the order: " + created.statusCode() + " " + created.body(),
          "see `slipway logs api`");
    }
    while (System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
      HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(api + "/orders/" + id.group(1))).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher st = STATUS.matcher(got.body());
      if (st.find() && "PROCESSED".equals(st.group(1))) {
        out.printf("   order %s is PROCESSED by the worker after %d ms%n", id.group(1), (System.nanoTime() - t0) / 1_000_000);
        return;
      }
      Thread.sleep(50);
    }
    throw new CliException(1, "order " + id.group(1) + " was not processed within 10s", "see `slipway logs worker`");
  }

  private static StatusView.ServiceView service(StatusView status, String name) {
    return status.services().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new CliException(1, "the example has no " + name + " service", null));
  }

  private static void heading(PrintWriter out, String text) {
    out.println();
    out.println(Style.bold("== " + text));
    out.flush();
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
