package dev.slipway.target.local;

import dev.slipway.engine.target.SecretMasker;
import dev.slipway.engine.target.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What backing-service providers need from the target: state, secrets, ports, supervision. */
record LocalContext(String appName, Path baseDir, StateLayout layout, Secrets secrets, PortAllocator ports,
    ProcessRegistry registry, SecretMasker masker, Supervisor.Threads threads) {

  Supervisor supervisor(Supervisor.Launch launch) {
    return new Supervisor(launch, registry, threads, masker);
  }

  /** The resource's generated password ({@code purpose} distinguishes e.g. the superuser's). */
  String password(String resource, String purpose) throws TargetException {
    try {
      return secrets.getOrCreate("resources." + resource + "." + purpose);
    } catch (IOException e) {
      throw new TargetException(resource, "cannot read or write " + layout.secrets() + ": " + e.getMessage(),
          "check the file's permissions; if it is damaged, delete it (the data of databases will then"
              + " need `slipway down --volumes`)", e);
    }
  }

  int port(String resource) throws TargetException {
    try {
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
