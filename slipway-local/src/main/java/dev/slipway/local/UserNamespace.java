package dev.slipway.local;

import dev.slipway.engine.runtime.TargetException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL refuses to run as root. When we are root, its programs run inside a user namespace
 * that maps an unprivileged uid onto root: they see themselves as uid 1000 and pass the check,
 * while their files stay owned by root outside.
 */
final class UserNamespace {

  private static final List<String> PREFIX =
      List.of("unshare", "--user", "--map-user=1000", "--map-group=1000");
  private static volatile Boolean usable;

  private UserNamespace() {}

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return "0".equals(line.split("\\s+")[2]); // real, effective, saved, fs
        }
      }
    } catch (IOException e) {
      return "root".equals(System.getProperty("user.name"));
    }
    return false;
  }

  /** {@code argv} unchanged for ordinary users; wrapped in {@code unshare} for root. */
  static List<String> wrapIfRoot(String subject, List<String> argv) throws TargetException {
    if (!isRoot()) {
      return argv;
    }
    if (!usable()) {
      throw new TargetException(subject, "PostgreSQL refuses to run as root, and `unshare --user` is not available"
          + " to run it as an unprivileged user",
          "run Slipway as an ordinary user, allow user namespaces (sysctl kernel.unprivileged_userns_clone=1),"
              + " or use `provider: docker` or `provider: external`", List.of());
    }
    List<String> out = new ArrayList<>(PREFIX);
    out.addAll(argv);
    return out;
  }

  private static boolean usable() {
    Boolean u = usable;
    if (u == null) {
      List<String> probe = new ArrayList<>(PREFIX);
      probe.add("true");
      try {
        Process p = new ProcessBuilder(probe).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        u = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        p.destroyForcibly();
      } catch (IOException e) {
        u = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      usable = u;
    }
    return u;
  }
}
