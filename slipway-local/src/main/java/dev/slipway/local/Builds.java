package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BuildSpec;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs build commands, skipping them when nothing they read changed. {@code state/builds.json}
 * remembers the input digest of each service's last successful build.
 */
final class Builds {

  /** What builds.json keeps per service; {@code at} is an ISO-8601 instant. */
  record Record(String digest, String command, String at) {}

  private static final TypeReference<TreeMap<String, Record>> TYPE = new TypeReference<>() {};
  private static final int TAIL = 20;
  private final Path baseDir;
  private final StateLayout layout;
  private final ProcessRegistry registry;
  private final SecretMasker masker;
  /** A command that succeeded during this target's life: for which service, and when it started. */
  private record Ran(String service, Instant started) {}

  /** Commands that succeeded during this target's life (the last run of each). */
  private final Map<String, Ran> ranThisSession = new ConcurrentHashMap<>();

  Builds(Path baseDir, StateLayout layout, ProcessRegistry registry, SecretMasker masker) {
    this.baseDir = baseDir;
    this.layout = layout;
    this.registry = registry;
    this.masker = masker;
  }

  BuildResult build(String service, BuildSpec spec, Duration deadline) throws TargetException {
    String digest = digest(service, spec);
    Path buildsFile = layout.builds();
    try {
      List<String> missing = spec.outputs().stream().filter(o -> !Files.exists(baseDir.resolve(o))).toList();
      // One command may build several services (a multi-module `mvn package`): another service's run
      // of it covers this one only if none of this one's inputs changed since that run started.
      Ran sameCommand = ranThisSession.get(spec.command());
      if (sameCommand != null && !spec.inputs().isEmpty() && missing.isEmpty()
          && !InputDigest.modifiedSince(baseDir, spec.inputs(), sameCommand.started())) {
        remember(service, spec, digest);
        return new BuildResult(service, false, digest, Duration.ZERO,
            "same command already built for `" + sameCommand.service() + "` in this run");
      }
      Record last = JsonFiles.read(buildsFile, TYPE, TreeMap::new).get(service);
      if (!spec.inputs().isEmpty() && last != null && last.digest().equals(digest) && missing.isEmpty()) {
        return new BuildResult(service, false, digest, Duration.ZERO, "inputs unchanged");
      }
      String reason = spec.inputs().isEmpty() ? "no inputs declared: always built"
          : last == null ? "first build"
          : !last.digest().equals(digest) ? "inputs changed"
          : "output missing: " + missing.getFirst();
      Path log = layout.buildLog(service);
      Files.deleteIfExists(log);
      Instant started = Instant.now();
      ForegroundRun.Outcome out = ForegroundRun.run("build-" + service, "build",
          List.of("sh", "-c", spec.command()), Map.of(), baseDir, log,
          "--- slipway: building " + service + " (" + reason + ") at " + Instant.now(),
          spec.command(), deadline, registry);
      if (!out.ok()) {
        throw failure(service, spec, out, log, deadline);
      }
      remember(service, spec, digest);
      ranThisSession.put(spec.command(), new Ran(service, started));
      return new BuildResult(service, true, digest, out.took(), reason);
    } catch (IOException e) {
      throw new TargetException(service, "cannot build `" + service + "`: " + e.getMessage(),
          "check that " + layout.root() + " is writable and `sh` is installed", e);
    }
  }

  private String digest(String service, BuildSpec spec) throws TargetException {
    try {
      return InputDigest.of(baseDir, spec.command(), spec.inputs());
    } catch (NoSuchFileException e) {
      throw new TargetException(service, "build input `" + e.getFile() + "` of `" + service + "` does not exist",
          "check `services." + service + ".build.inputs`; paths are relative to " + baseDir, List.of());
    } catch (IOException e) {
      throw new TargetException(service, "cannot read the build inputs of `" + service + "`: " + e.getMessage(),
          "check the paths in `services." + service + ".build.inputs`", e);
    }
  }

  private void remember(String service, BuildSpec spec, String digest) throws IOException {
    JsonFiles.update(layout.builds(), TYPE, TreeMap::new, map -> {
      map.put(service, new Record(digest, spec.command(), Instant.now().toString()));
      return map;
    });
  }

  private TargetException failure(String service, BuildSpec spec, ForegroundRun.Outcome out, Path log,
      Duration deadline) {
    String what = out.timedOut()
        ? "build of `" + service + "` did not finish within " + Durations.human(deadline) + " and was killed"
        : "build of `" + service + "` failed with exit code " + out.exitCode();
    String rel = baseDir.relativize(log).toString();
    String hint = "see " + rel + " (its last lines are below); to reproduce, run `" + masker.mask(spec.command())
        + "` in " + baseDir + (out.timedOut() ? ", or raise the build timeout" : "");
    return new TargetException(service, what, hint, LogTail.lines(log, TAIL, masker));
  }
}
