package dev.slipway.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Generated files on disk: written all or nothing per file (temp file, then an atomic rename), and
 * compared with what the model generates for {@code --check}.
 */
public final class OutputTree {
  private OutputTree() {}

  /** A file on disk that differs from what the model generates. */
  public record Drift(String path, String kind, int firstDifferentLine) {
    /** {@code missing}, {@code changed} or {@code stale} (written before, no longer generated). */
    public String describe() {
      return switch (kind) {
        case "missing" -> path + ": missing";
        case "stale" -> path + ": stale (no longer generated; the next `slipway generate` removes it)";
        default -> path + ": changed (first difference at line " + firstDifferentLine + ")";
      };
    }
  }

  /**
   * Deletes {@code paths} under {@code dir} (files Slipway wrote before that the model no longer
   * generates), then any directory they leave empty, up to {@code dir}.
   *
   * @return the paths that existed and were removed
   */
  public static List<String> remove(Path dir, java.util.Collection<String> paths) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<String> removed = new ArrayList<>();
    for (String rel : paths) {
      Path p = resolve(root, rel);
      if (Files.deleteIfExists(p)) {
        removed.add(rel);
        for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
          try (java.util.stream.Stream<Path> s = Files.list(d)) {
            if (s.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(d);
        }
      }
    }
    return removed;
  }

  /** {@code paths} that exist under {@code dir}, as {@code stale} drift. */
  public static List<Drift> existing(Path dir, java.util.Collection<String> paths) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Drift> out = new ArrayList<>();
    for (String rel : paths) {
      if (Files.exists(resolve(root, rel))) {
        out.add(new Drift(rel, "stale", 0));
      }
    }
    return out;
  }

  /**
   * Writes {@code files} under {@code dir}. Every path is checked before anything is written, so a bad
   * path leaves the directory untouched.
   *
   * @return how many files changed on disk (unchanged files are not rewritten)
   */
  public static int write(Path dir, SortedMap<String, String> files) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    Map<Path, String> targets = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      targets.put(resolve(root, f.getKey()), f.getValue());
    }
    for (Path d : new java.util.TreeSet<>(targets.keySet().stream().map(Path::getParent).toList())) {
      Files.createDirectories(d);
    }
    int changed = 0;
    for (Map.Entry<Path, String> t : targets.entrySet()) {
      if (writeOne(t.getKey(), t.getValue().getBytes(StandardCharsets.UTF_8))) {
        changed++;
      }
    }
    return changed;
  }

  /** Writes one file through a temp file and an atomic rename; false when it already had these bytes. */
  private static boolean writeOne(Path target, byte[] bytes) throws IOException {
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return false;
    }
    // A fixed temp name beside the file (one writer per output directory at a time); renamed over the file.
    Path tmp = target.resolveSibling("." + target.getFileName() + ".slipway-tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return true;
  }

  /** Files under {@code dir} that are missing or differ from {@code files}, in path order. */
  public static List<Drift> check(Path dir, SortedMap<String, String> files) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Drift> drift = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = resolve(root, f.getKey());
      if (!Files.isRegularFile(target)) {
        drift.add(new Drift(f.getKey(), "missing", 0));
        continue;
      }
      String onDisk = Files.readString(target, StandardCharsets.UTF_8);
      if (!onDisk.equals(f.getValue())) {
        drift.add(new Drift(f.getKey(), "changed", firstDifferentLine(onDisk, f.getValue())));
      }
    }
    return drift;
  }

  static int firstDifferentLine(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return i + 1;
      }
    }
    return Math.min(x.length, y.length) + 1;
  }

  private static Path resolve(Path root, String rel) throws IOException {
    Path p = root.resolve(rel).normalize();
    if (rel.isEmpty() || !p.startsWith(root) || p.equals(root)) {
      throw new IOException("generated path `" + rel + "` is outside the output directory");
    }
    return p;
  }
}
