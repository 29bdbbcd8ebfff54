package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for CLI tests. */
final class CliTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private CliTestSupport() {}

  /** Live processes whose process group is one of {@code pgids}, as "pid: cmdline". */
  static List<String> processesInGroups(java.util.Collection<Long> pgids) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path dir : dirs) {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (pgids.contains(Long.parseLong(f[2])) && !f[0].equals("Z")) {
            found.add(dir.getFileName() + ": " + Files.readString(dir.resolve("cmdline")).replace('\0', ' '));
          }
        } catch (IOException gone) {
          // The process exited while we looked.
        }
      }
    }
    return found;
  }

  /** Command lines of live processes that mention {@code text}, except this JVM. */
  static List<String> processesMentioning(String text) throws IOException {
    List<String> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path dir : dirs) {
        if (Long.parseLong(dir.getFileName().toString()) == self) {
          continue;
        }
        try {
          String cmdline = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
          if (cmdline.contains(text)) {
            found.add(dir.getFileName() + ": " + cmdline);
          }
        } catch (IOException gone) {
          // The process exited while we looked.
        }
      }
    }
    return found;
  }
}
