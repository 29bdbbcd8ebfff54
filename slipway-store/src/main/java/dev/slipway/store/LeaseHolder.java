package dev.slipway.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Who holds a {@link Lease}: enough for a person to find the process (host, pid, what it runs) and,
 * in {@code process}, an id of the running process that no other process shares, even one that
 * reuses the pid or runs on a host with the same name.
 *
 * @param host the host name
 * @param pid the process id on that host
 * @param process random per process (see {@link #thisProcess(String)})
 * @param detail what the holder runs, e.g. the model file; may be null
 */
public record LeaseHolder(String host, long pid, String process, String detail) {
  private static final String PROCESS = UUID.randomUUID().toString();

  public LeaseHolder {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(process, "process");
  }

  /** This process, running {@code detail}. */
  public static LeaseHolder thisProcess(String detail) {
    return new LeaseHolder(hostName(), ProcessHandle.current().pid(), PROCESS, detail);
  }

  /** Whether this is the current process. */
  public boolean isThisProcess() {
    return PROCESS.equals(process);
  }

  /** {@code pid 4242 on host build-1 (/srv/shop/slipway.yaml)}. */
  public String describe() {
    return "pid " + pid + " on host " + host + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
  }

  private static String hostName() {
    // The kernel's name first: InetAddress may wait on DNS for a host that is not in /etc/hosts.
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Not Linux: ask the resolver below.
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
