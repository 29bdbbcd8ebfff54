package dev.slipway.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs the way a shell would. */
final class Executables {

  private Executables() {}

  /** The first executable {@code name} on the PATH, or {@code null}. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }
}
