package dev.slipway.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code /proc/<pid>/stat}: enough to tell who a process is (pid plus start time, which
 * survives pid reuse), which group it belongs to and whether it still runs.
 *
 * @param startTicks field 22, clock ticks since boot; with the pid it identifies a process for life
 * @param cpuTicks   fields 14 and 15, the CPU time it used so far (user + system), in clock ticks
 */
record ProcStat(long pid, String comm, char state, long ppid, long pgid, long session, long startTicks,
    long cpuTicks) {

  private static final Path PROC = Path.of("/proc");

  /** Zombies and dead tasks have exited; only their parent's {@code wait} is missing. */
  boolean alive() {
    return state != 'Z' && state != 'X' && state != 'x';
  }

  /** Parses a stat line. The command name may hold spaces and parentheses, so split after the last ')'. */
  static ProcStat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line: " + line);
    }
    long pid = Long.parseLong(line.substring(0, open).trim());
    String comm = line.substring(open + 1, close);
    String[] f = line.substring(close + 2).split(" ");
    // f[0] is field 3 (state); field n is f[n - 3].
    return new ProcStat(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
        Long.parseLong(f[3]), Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
  }

  /** The process with this pid, if it exists (zombies included: check {@link #alive()}). */
  static Optional<ProcStat> read(long pid) {
    try {
      return Optional.of(parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // The process vanished while we read, or /proc said something odd: either way it is not there.
      return Optional.empty();
    }
  }

  /** Every process on the machine that is still alive. */
  static List<ProcStat> all() {
    List<ProcStat> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcStat::isPidDir)) {
      for (Path dir : dirs) {
        read(Long.parseLong(dir.getFileName().toString())).filter(ProcStat::alive).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return out;
  }

  private static boolean isPidDir(Path p) {
    String n = p.getFileName().toString();
    return !n.isEmpty() && n.chars().allMatch(Character::isDigit);
  }

  /**
   * Now, in the unit of {@link #startTicks()}: seconds since boot times USER_HZ, which Linux fixes
   * at 100 for everything it shows in /proc. Rounded down, so it never exceeds a later start time.
   */
  static long uptimeTicks() {
    try {
      String seconds = Files.readString(PROC.resolve("uptime")).split(" ")[0];
      return new java.math.BigDecimal(seconds).movePointRight(2).longValue() - 1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** When a process with these start ticks started (to the clock tick, 10 ms), or now if unknown. */
  static java.time.Instant startTime(long startTicks) {
    long up = uptimeTicks();
    if (startTicks < 0 || up < 0) {
      return java.time.Instant.now();
    }
    return java.time.Instant.now().minusMillis(Math.max(0, up - startTicks) * 10);
  }

  /** The id of this boot; start ticks are only comparable within one boot. */
  static String bootId() {
    try {
      return Files.readString(PROC.resolve("sys/kernel/random/boot_id")).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
