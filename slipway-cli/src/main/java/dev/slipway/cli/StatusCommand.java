package dev.slipway.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.StatusView;
import dev.slipway.model.AppSpec;
import java.io.PrintWriter;
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

  @Option(names = "--json", description = "Print JSON (the API's status document).")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ControlPlaneClient> client = ControlPlaneClient.find(model.stateDir());
    StatusView status = client.map(ControlPlaneClient::status).orElseGet(this::stopped);
    if (json) {
      out.println(ControlPlaneClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
    } else {
      StatusTable.render(status).forEach(out::println);
      if (client.isEmpty()) {
        out.println(Style.dim("Nothing is running. Start it with `slipway up`."));
      }
    }
    return 0;
  }

  /** What status looks like with no control plane: everything the model names, stopped. */
  private StatusView stopped() {
    AppSpec app = model.load(null);
    List<StatusView.ServiceView> services = new ArrayList<>();
    app.services().values().forEach(s -> services.add(
        new StatusView.ServiceView(s.name(), "stopped", false, null, null, 0, List.of(), null, java.util.Map.of(), null,
            null)));
    List<StatusView.ResourceView> resources = new ArrayList<>();
    app.resources().values().forEach(r -> resources.add(new StatusView.ResourceView(r.name(), r.type().key(),
        r.provider().key(), "stopped", false, null, 0, -1, 0)));
    return new StatusView(app.name(), null, "stopped", null, services, resources);
  }
}
