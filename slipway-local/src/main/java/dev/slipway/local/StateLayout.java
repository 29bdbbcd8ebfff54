package dev.slipway.local;

import dev.slipway.engine.runtime.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the local target keeps things under {@code .slipway/}. Everything is private to the user
 * (0700): logs and data may hold application secrets.
 */
record StateLayout(Path root) {

  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  StateLayout {
    root = root.toAbsolutePath().normalize();
  }

  void ensure() throws TargetException {
    try {
      for (Path dir : List.of(root, logs(), data(), run(), state(), artifacts(), router())) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PRIVATE);
      }
    } catch (IOException e) {
      throw new TargetException(null, "cannot create the state directory " + root + ": " + e.getMessage(),
          "check that the directory of the model file is writable", e);
    }
  }

  Path logs() {
    return root.resolve("logs");
  }

  Path data() {
    return root.resolve("data");
  }

  Path run() {
    return root.resolve("run");
  }

  Path state() {
    return root.resolve("state");
  }

  /** The content-addressed artifact store: {@code artifacts/<sha256>/}, read-only snapshots. */
  Path artifacts() {
    return root.resolve("artifacts");
  }

  /** The router's own directory: its token, {@code router.json} and the routes it persists. */
  Path router() {
    return root.resolve("router");
  }

  Path routerLog() {
    return logs().resolve("router.log");
  }

  Path instanceLog(String instanceId) {
    return logs().resolve(instanceId + ".log");
  }

  /** The logs of a release's instances ({@code <release>-<index>.log}), by instance id in index order. */
  java.util.Map<String, Path> releaseLogs(String release) throws IOException {
    java.util.TreeMap<Integer, Path> byIndex = new java.util.TreeMap<>();
    Pattern name = Pattern.compile(Pattern.quote(release) + "-(\\d{1,6})\\.log");
    if (Files.isDirectory(logs())) {
      try (java.util.stream.Stream<Path> files = Files.list(logs())) {
        files.forEach(f -> {
          java.util.regex.Matcher m = name.matcher(f.getFileName().toString());
          if (m.matches()) {
            byIndex.put(Integer.parseInt(m.group(1)), f);
          }
        });
      }
    }
    java.util.Map<String, Path> out = new java.util.LinkedHashMap<>();
    byIndex.forEach((i, f) -> out.put(release + "-" + i, f));
    return out;
  }

  Path buildLog(String service) {
    return logs().resolve("build-" + service + ".log");
  }

  Path resourceLog(String resource) {
    return logs().resolve(resource + ".log");
  }

  /** The resource's data directory, created private on first use. */
  Path dataDir(String resource) throws IOException {
    Path dir = data().resolve(resource);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PRIVATE);
    return dir;
  }

  Path processes() {
    return run().resolve("processes.json");
  }

  Path ports() {
    return state().resolve("ports.json");
  }

  Path builds() {
    return state().resolve("builds.json");
  }

  Path secrets() {
    return root.resolve("secrets.json");
  }

  /** Names become file names: refuse anything that could leave the directory. */
  static String checkName(String kind, String name) throws TargetException {
    if (name == null || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
      throw new TargetException(name, kind + " name `" + name + "` cannot be used as a file name",
          "use letters, digits, '.', '_' and '-' only", List.of());
    }
    return name;
  }
}
