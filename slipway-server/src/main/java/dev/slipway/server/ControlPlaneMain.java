package dev.slipway.server;

import dev.slipway.api.ApiPaths;
import dev.slipway.engine.EngineException;
import dev.slipway.engine.EnvironmentLease;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import dev.slipway.local.LocalTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the control-plane process, started by {@code slipway up}.
 *
 * <pre>
 *   ControlPlaneMain --file slipway.yaml --env dev [--api-port N] [--store-file FILE] [--state-dir DIR] [--version V]
 *   ControlPlaneMain --file slipway.yaml --cleanup [--volumes] [--state-dir DIR]   stop leftovers of a dead control plane
 * </pre>
 *
 * {@code --state-dir} puts everything of this stack (lock, run files, logs, data, router, ports,
 * artifacts, the H2 store) in DIR instead of {@code .slipway/} beside the model: a preview is the same
 * model run with a state directory of its own, beside {@code dev} and other previews. {@code --version}
 * labels the releases the start creates (their {@code APP_VERSION}) instead of their digest.
 *
 * {@code --store-file} names a file holding the state store's JDBC URL, which may hold a password:
 * never on the command line, where {@code ps} would show it. The file is deleted once read.
 *
 * <p>Exit codes: 0 stopped cleanly, 1 the stack failed (or this control plane stopped acting and left
 * it running), 2 bad model or arguments, 3 another control plane already runs this model or owns
 * its environment in the state store.
 */
public final class ControlPlaneMain {
  private ControlPlaneMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String file = "slipway.yaml";
    String env = ModelLoader.DEFAULT_ENVIRONMENT;
    int apiPort = 0;
    boolean cleanup = false;
    boolean volumes = false;
    String store = null;
    Path stateDirOption = null;
    String version = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--file" -> file = args[++i];
        case "--env" -> env = args[++i];
        case "--api-port" -> apiPort = Integer.parseInt(args[++i]);
        case "--cleanup" -> cleanup = true;
        case "--volumes" -> volumes = true;
        case "--state-dir" -> stateDirOption = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--version" -> version = args[++i];
        case "--store-file" -> {
          try {
            store = readOnce(Path.of(args[++i]));
          } catch (IOException e) {
            err.println("control plane: cannot read the state store's URL from " + args[i] + ": " + e.getMessage());
            return 2;
          }
        }
        default -> {
          err.println("control plane: unknown argument " + args[i]);
          return 2;
        }
      }
    }
    AppSpec app;
    try {
      // Clean-up needs the state directory and the resources, which every environment shares: the
      // base model, so that it works whatever environment ran.
      Path model = Path.of(file).toAbsolutePath();
      app = cleanup ? ModelLoader.load(model, null) : ModelLoader.loadLocal(model, env);
    } catch (ModelException e) {
      err.println(e.format());
      return 2;
    }
    try {
      Path stateDir = stateDirOption != null ? stateDirOption : app.stateDir();
      createPrivateDir(stateDir);
      createPrivateDir(stateDir.resolve("run"));
      try (FileChannel channel = FileChannel.open(stateDir.resolve("run/control-plane.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock()) {
        if (lock == null) {
          err.println("a control plane already runs " + app.file() + "; use `slipway status` or `slipway down`");
          return 3;
        }
        SecretMasker masker = new SecretMasker();
        LocalTarget target = new LocalTarget(app.name(), app.baseDir(), stateDir, masker,
            app.selectedEnvironment().map(e -> e.router().limits()).orElse(null));
        if (cleanup) {
          return cleanUp(app, stateDir, target, volumes, out, err);
        }
        try (StateStore states = StateStore.open(store, stateDir)) {
          EnvironmentLease lease;
          try {
            lease = EnvironmentLease.acquire(states, app.environment(), app.file().toString(),
                line -> out.println("control plane: " + line));
          } catch (EngineException e) {
            err.println("control plane: " + e.getMessage() + (e.hint() == null ? "" : "\n    " + e.hint()));
            return e.kind() == EngineException.Kind.CONFLICT ? 3 : 1;
          }
          try (lease) {
            ArtifactPruning.atStartUp(target, lease.store(), line -> out.println("control plane: " + line));
            return new ControlPlane(app, stateDir, version, target, lease, masker, out).run(apiPort);
          }
        } catch (StoreException e) {
          err.println("control plane: " + e.getMessage());
          return 1;
        }
      }
    } catch (IOException e) {
      err.println("control plane: " + e.getMessage());
      return 1;
    }
  }

  private static int cleanUp(AppSpec app, Path stateDir, LocalTarget target, boolean volumes, PrintStream out, PrintStream err) {
    try {
      List<String> lines = new ArrayList<>(target.cleanUpLeftovers());
      if (volumes) {
        lines.addAll(target.deleteData(app.resources().keySet()));
      }
      lines.forEach(out::println);
      target.close();
      Files.deleteIfExists(stateDir.resolve(ApiPaths.DETACHED_FILE)); // nothing runs any more
      return 0;
    } catch (TargetException e) {
      err.println(e.getMessage() + (e.hint() == null ? "" : "\n    " + e.hint()));
      return 1;
    } catch (IOException e) {
      err.println("control plane: " + e.getMessage());
      return 1;
    }
  }

  /** The file's text, stripped; the file is deleted so the URL does not stay on disk. */
  private static String readOnce(Path file) throws IOException {
    String text = Files.readString(file).strip();
    Files.deleteIfExists(file);
    return text;
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
