package dev.slipway.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.ApiPaths;
import dev.slipway.api.DetachedNote;
import dev.slipway.api.StatusView;
import dev.slipway.model.AppSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway status}: every service and backing service, with health, URL, version and restarts. */
@Command(name = "status", description = "Show services and backing services: state, health, URL, version, restarts.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--json", description = "Print JSON (the API's status document; on a cluster: context, namespace, server, services).")
  boolean json;

  @Mixin
  EnvOptions envs;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ClusterTarget> cluster = envs.cluster(model);
    if (cluster.isPresent()) {
      Optional<TeamClient> server = ServerRoute.of(spec, envs);
      if (server.isPresent()) {
        return ServerRoute.status(server.get(), envs.env, json, out);
      }
      return ClusterCommands.status(cluster.get(), json, out);
    }
    Optional<ControlPlaneClient> client = ControlPlaneClient.find(model.stateDir());
    client.ifPresent(envs::checkLocal);
    Optional<DetachedNote> detached = client.isPresent() ? Optional.empty() : detached();
    StatusView status = client.map(ControlPlaneClient::status).orElseGet(() -> stopped(detached.isPresent()));
    if (json) {
      out.println(ControlPlaneClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
    } else if (detached.isPresent()) {
      DetachedNote note = detached.get();
      out.println("No control plane: the last one (pid " + note.pid() + ") stopped acting at " + localTime(note.at()) + " and"
          + " left " + status.app() + " running, unmanaged: " + note.reason());
      out.println(Style.dim("`slipway up` takes it over again; `slipway down` stops it."));
    } else {
      StatusTable.render(status).forEach(out::println);
      if (client.isEmpty()) {
        out.println(Style.dim("Nothing is running. Start it with `slipway up`."));
      }
    }
    return 0;
  }

  private static String localTime(String instant) {
    try {
      return java.time.LocalTime.ofInstant(java.time.Instant.parse(instant), java.time.ZoneId.systemDefault())
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (java.time.DateTimeException e) {
      return instant;
    }
  }

  /** The note a control plane leaves when it stops acting but leaves the stack running. */
  private Optional<DetachedNote> detached() {
    java.nio.file.Path file = model.stateDir().resolve(ApiPaths.DETACHED_FILE);
    try {
      return Files.exists(file) ? Optional.of(ControlPlaneClient.JSON.readValue(file.toFile(), DetachedNote.class))
          : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty(); // unreadable: say what can be said without it
    }
  }

  /**
   * What status looks like with no control plane: everything the model names, stopped; or, when the
   * last control plane stopped acting and left it running ({@code detached}), the app in that state.
   */
  private StatusView stopped(boolean detached) {
    AppSpec app = model.load(null);
    List<StatusView.ServiceView> services = new ArrayList<>();
    app.services().values().forEach(s -> services.add(
        new StatusView.ServiceView(s.name(), "stopped", false, null, null, 0, List.of(), null, java.util.Map.of(), null,
            null)));
    List<StatusView.ResourceView> resources = new ArrayList<>();
    app.resources().values().forEach(r -> resources.add(new StatusView.ResourceView(r.name(), r.type().key(),
        r.provider().key(), "stopped", false, null, 0, -1, 0)));
    return new StatusView(app.name(), null, detached ? "detached" : "stopped", null, services, resources);
  }
}
