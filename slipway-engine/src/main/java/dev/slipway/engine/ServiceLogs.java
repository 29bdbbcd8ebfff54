package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.store.Release;
import dev.slipway.store.StoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's logs for {@code slipway logs}: by default those of the instances that run now (the
 * stable release and a candidate); with a release, those of every instance that release had — a
 * candidate during its rollout, or a retired or rolled-back release whose instances are gone.
 * Everything it returns is masked, except file paths, which whoever reads them must mask.
 */
final class ServiceLogs {
  /** Bytes read from the end of a file that no instance writes any more: lines enough, never the heap. */
  private static final int TAIL_BYTES = 1 << 20;
  private final EngineContext ctx;

  ServiceLogs(EngineContext ctx) {
    this.ctx = ctx;
  }

  /** The last {@code lines} lines of each instance, prefixed with its id when there are several. */
  List<String> tail(String service, String release, int lines) throws EngineException {
    Map<String, Source> sources = sources(service, release);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Source> e : sources.entrySet()) {
      for (String line : e.getValue().tail(lines)) {
        String masked = ctx.masker.mask(line);
        out.add(sources.size() > 1 ? e.getKey() + " | " + masked : masked);
      }
    }
    return out;
  }

  /** The log files of the same instances, by instance id, for following. */
  Map<String, Path> files(String service, String release) throws EngineException {
    Map<String, Path> files = new LinkedHashMap<>();
    sources(service, release).forEach((id, s) -> {
      if (s.file() != null) {
        files.put(id, s.file());
      }
    });
    return files;
  }

  /** One instance's log: its handle while it runs, else the file it left. */
  private record Source(InstanceRuntime live, Path file) {
    List<String> tail(int lines) {
      return live != null ? live.handle.tail(lines) : ServiceLogs.tail(file, lines);
    }
  }

  private Map<String, Source> sources(String service, String release) throws EngineException {
    ServiceRuntime s = ctx.services.get(service);
    Map<String, Source> out = new LinkedHashMap<>();
    for (InstanceRuntime inst : s.instances()) {
      if (inst.handle != null && (release == null || inst.id.startsWith(release + "-"))) {
        out.put(inst.id, new Source(inst, inst.handle.logFile().orElse(null)));
      }
    }
    if (release == null) {
      return out;
    }
    check(service, release);
    try {
      for (Map.Entry<String, Path> f : ctx.target.releaseLogs(release).entrySet()) {
        out.putIfAbsent(f.getKey(), new Source(null, f.getValue()));
      }
    } catch (TargetException e) {
      throw EngineErrors.fromTarget(e);
    }
    return out;
  }

  private void check(String service, String release) throws EngineException {
    Release r;
    try {
      r = ctx.store.release(ctx.environment, release).orElse(null);
    } catch (StoreException e) {
      throw EngineErrors.fromStore(e);
    }
    if (r == null || !r.service().equals(service)) {
      throw new EngineException(service, "no release " + release + " of " + service,
          "see `slipway history " + service + "` for its releases", List.of()).as(EngineException.Kind.NOT_FOUND);
    }
  }

  /** The last {@code n} lines of a file, read from its end; a line saying so when it cannot be read. */
  static List<String> tail(Path file, int n) {
    if (n <= 0 || !Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      // A read that starts mid-file starts mid-line: drop that partial line.
      lines = from > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of("(cannot read " + file.getFileName() + ": " + e.getMessage() + ")");
    }
  }
}
