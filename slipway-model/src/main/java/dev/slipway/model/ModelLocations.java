package dev.slipway.model;

import java.util.Map;

/**
 * Where each model path ({@code services.api.run}) was written, so that errors found after loading
 * (a build that fails, a port that is taken) can still point at the file.
 */
public record ModelLocations(Map<String, SourceLocation> byPath) {
  public ModelLocations {
    byPath = Maps.frozen(byPath);
  }

  public static ModelLocations empty() {
    return new ModelLocations(Map.of());
  }

  /** The location of {@code path}, or of its closest written ancestor, or {@code null}. */
  public SourceLocation find(String path) {
    String p = path;
    while (p != null && !p.isEmpty()) {
      SourceLocation loc = byPath.get(p);
      if (loc != null) {
        return loc;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? null : p.substring(0, cut);
    }
    return null;
  }
}
