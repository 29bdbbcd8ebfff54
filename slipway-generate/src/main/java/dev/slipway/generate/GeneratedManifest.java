package dev.slipway.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The record, in the output directory, of which files each target wrote last time
 * ({@code .slipway-generated}). When the model drops a service, its old files are "stale": the next
 * {@code generate} removes them and {@code --check} reports them — only files Slipway wrote, never a
 * file of the user's that happens to sit beside them.
 */
public final class GeneratedManifest {
  public static final String FILE = ".slipway-generated";
  private static final String HEADER = "# Files written by `slipway generate`, by target: stale ones are removed by the next run. Do not edit.";

  private final SortedMap<String, SortedSet<String>> byTarget;

  private GeneratedManifest(SortedMap<String, SortedSet<String>> byTarget) {
    this.byTarget = byTarget;
  }

  /** The manifest in {@code dir}, or an empty one when there is none (or it is unreadable). */
  public static GeneratedManifest read(Path dir) {
    SortedMap<String, SortedSet<String>> m = new TreeMap<>();
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          int space = line.indexOf(' ');
          if (!line.startsWith("#") && space > 0) {
            m.computeIfAbsent(line.substring(0, space), k -> new TreeSet<>()).add(line.substring(space + 1));
          }
        }
      } catch (IOException e) {
        return new GeneratedManifest(new TreeMap<>());
      }
    }
    return new GeneratedManifest(m);
  }

  /** Files {@code target} wrote last time that it does not generate now. */
  public List<String> stale(String target, Collection<String> now) {
    List<String> out = new ArrayList<>();
    for (String p : byTarget.getOrDefault(target, new TreeSet<>())) {
      if (!now.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** This manifest with {@code target}'s files replaced by {@code paths}. */
  public GeneratedManifest with(String target, Collection<String> paths) {
    SortedMap<String, SortedSet<String>> m = new TreeMap<>(byTarget);
    m.put(target, new TreeSet<>(paths));
    return new GeneratedManifest(m);
  }

  /** The manifest file's bytes: deterministic, one {@code target path} line per file. */
  public String text() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (Map.Entry<String, SortedSet<String>> e : byTarget.entrySet()) {
      for (String p : e.getValue()) {
        b.append(e.getKey()).append(' ').append(p).append('\n');
      }
    }
    return b.toString();
  }
}
