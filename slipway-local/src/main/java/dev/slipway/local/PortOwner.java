package dev.slipway.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a given process is the one listening on a TCP port, from {@code /proc} (Linux): the
 * listening sockets of {@code /proc/net/tcp} and {@code tcp6} by inode, and the process's open file
 * descriptors ({@code socket:[inode]}). A port number alone says nothing about who answers on it:
 * when a process exits, any other local process may take its port.
 */
final class PortOwner {
  private static final Path PROC = Path.of("/proc");
  private static final List<String> TABLES = List.of("net/tcp", "net/tcp6");
  /** {@code st} of a listening socket in {@code /proc/net/tcp}. */
  private static final String LISTEN = "0A";

  private PortOwner() {}

  /**
   * True when process {@code pid} holds a socket listening on {@code port}; false when it does not
   * (another process does, nobody does, or {@code pid} is gone); empty when {@code /proc} cannot
   * tell (not Linux).
   */
  static Optional<Boolean> listens(long pid, int port) {
    Set<String> inodes = new HashSet<>();
    boolean anyTable = false;
    for (String table : TABLES) {
      try {
        for (String line : Files.readAllLines(PROC.resolve(table))) {
          anyTable = true;
          String inode = listeningInode(line, port);
          if (inode != null) {
            inodes.add(inode);
          }
        }
      } catch (NoSuchFileException e) {
        // no IPv6, or no /proc at all: the other table decides
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    if (!anyTable) {
      return Optional.empty();
    }
    if (inodes.isEmpty()) {
      return Optional.of(false);
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed while we looked
        }
        if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
          return Optional.of(true);
        }
      }
      return Optional.of(false);
    } catch (IOException e) {
      return Optional.of(false); // gone, or not ours to look into: either way not confirmed
    }
  }

  /**
   * The inode of a {@code /proc/net/tcp} line that is a socket listening on {@code port}, else null.
   * Fields: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode};
   * the address is hex {@code ADDR:PORT}.
   */
  static String listeningInode(String line, int port) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 10 || !f[3].equals(LISTEN)) {
      return null;
    }
    int colon = f[1].lastIndexOf(':');
    if (colon < 0 || !f[1].substring(colon + 1).toUpperCase(Locale.ROOT).equals(hexPort(port))) {
      return null;
    }
    return f[9];
  }

  private static String hexPort(int port) {
    return String.format("%04X", port);
  }
}
