package dev.slipway.local;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What backing-service providers need from the target: state, secrets, ports, supervision, and the
 * processes an earlier control plane left for this one to adopt.
 */
record LocalContext(String appName, Path baseDir, StateLayout layout, Secrets secrets, PortAllocator ports,
    ProcessRegistry registry, SecretMasker masker, Supervisor.Threads threads, Adoption adoption) {

  Supervisor supervisor(Launch launch) {
    return new Supervisor(launch, registry, threads, masker);
  }

  /**
   * Starts the supervisor's first incarnation, or, when an earlier control plane left the same
   * process running (same kind and name, same fingerprint, same port), reattaches to it. A process
   * left running with another launch is stopped first, so the new one gets its port.
   *
   * @param anyLaunch reattach whatever the fingerprint (the router: its routes matter, not its flags)
   * @return whether it reattached
   */
  boolean startOrAdopt(Supervisor supervisor, boolean anyLaunch) throws IOException {
    Launch launch = supervisor.launch();
    var adopted = adoption.claim(launch.kind(), launch.name()).orElse(null);
    if (adopted != null && Leftovers.leaderRuns(adopted)) {
      if (anyLaunch || (launch.fingerprint().equals(adopted.fingerprint()) && launch.port() == adopted.port())) {
        supervisor.adopt(adopted);
        return true;
      }
      Spawner.appendLine(launch.log(), "--- slipway: not adopting " + launch.name() + " (pid " + adopted.pid()
          + "): it runs with another command, environment, directory or port; replacing it");
    }
    if (adopted != null) {
      adoption.replace(adopted);
    }
    supervisor.start();
    return false;
  }

  /** The resource's generated password ({@code purpose} distinguishes e.g. the superuser's). */
  String password(String resource, String purpose) throws TargetException {
    try {
      return secrets.getOrCreate("resources." + resource + "." + purpose);
    } catch (JsonFiles.DamagedFileException e) {
      throw new TargetException(resource, "the generated passwords cannot be read: " + e.getMessage(),
          "restore " + layout.secrets() + " from a backup: the databases under " + layout.data()
              + " only accept the passwords in it. If their data does not matter, delete the file and the data"
              + " (`slipway down --volumes`) and start again", e);
    } catch (IOException e) {
      throw new TargetException(resource, "cannot read or write " + layout.secrets() + ": " + e.getMessage(),
          "check the file's permissions; if it is damaged, delete it (the data of databases will then"
              + " need `slipway down --volumes`)", e);
    }
  }

  /** The resource's port: the one it runs on when adopted, else its last one when free, else a new one. */
  int port(String resource) throws TargetException {
    try {
      var adopted = adoption.peek("server", resource);
      if (adopted.isPresent() && adopted.get().port() > 0) {
        ports.claim("resources." + resource, adopted.get().port());
        return adopted.get().port();
      }
      return ports.allocate("resources." + resource, true);
    } catch (IOException e) {
      throw new TargetException(resource, "cannot allocate a port: " + e.getMessage(),
          "check " + layout.ports() + " and free some ports", e);
    }
  }

  Path dataDir(String resource) throws TargetException {
    try {
      return layout.dataDir(resource);
    } catch (IOException e) {
      throw new TargetException(resource, "cannot create the data directory of `" + resource + "`: "
          + e.getMessage(), "check that " + layout.data() + " is writable", e);
    }
  }

  /** The database or user name: as written, or derived from the application's name. */
  String nameOrDefault(String value) {
    if (value != null && !value.isBlank()) {
      return value;
    }
    String n = appName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return n.isEmpty() || Character.isDigit(n.charAt(0)) ? "app_" + n : n;
  }

  static TargetException failed(BackingServiceSpec spec, String message, String hint, List<String> details) {
    return new TargetException(spec.name(), message, hint, details);
  }
}
