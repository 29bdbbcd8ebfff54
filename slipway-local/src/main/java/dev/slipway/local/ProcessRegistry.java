package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code run/processes.json}: every process group (and container) this target started and has not
 * yet seen end. A later control plane reads it to stop what a crashed one left behind.
 */
final class ProcessRegistry {

  /**
   * One started group.
   *
   * @param kind       instance, build, server, init or container
   * @param startTicks the leader's start time ({@code /proc/<pid>/stat} field 22): guards against pid reuse
   * @param signal     the signal that stops it gracefully
   * @param container  the Docker container name, or {@code null}
   * @param session    which target wrote it: a target never treats its own processes as leftovers
   * @param port       the port it was started to listen on, or 0: a later control plane adopts it only
   *                   for the same port
   * @param fingerprint SHA-256 of what it was started with (argv, environment, directory, port, config),
   *                   or {@code null}: a later control plane adopts it only when it would start the same
   */
  record Entry(String name, String kind, long pid, long pgid, long startTicks, String bootId,
      String command, String signal, String container, String session, int port, String fingerprint) {}

  private static final TypeReference<List<Entry>> TYPE = new TypeReference<>() {};
  private final Path file;
  private final String session = java.util.UUID.randomUUID().toString();

  ProcessRegistry(Path file) {
    this.file = file;
  }

  String session() {
    return session;
  }

  Path file() {
    return file;
  }

  void register(Entry entry) throws IOException {
    JsonFiles.update(file, TYPE, ArrayList::new, list -> {
      list.removeIf(e -> e.pid() == entry.pid() && e.container() == null && entry.container() == null);
      list.add(entry);
      return list;
    });
  }

  void unregister(Entry entry) throws IOException {
    JsonFiles.update(file, TYPE, ArrayList::new, list -> {
      list.removeIf(e -> e.equals(entry));
      return list;
    });
  }

  List<Entry> entries() throws IOException {
    return JsonFiles.read(file, TYPE, ArrayList::new);
  }

  void removeAll(Collection<Entry> entries) throws IOException {
    JsonFiles.update(file, TYPE, ArrayList::new, list -> {
      list.removeAll(entries);
      return list;
    });
  }

  Entry entryFor(String name, String kind, Incarnation inc, String command, Signal signal) {
    return entryFor(name, kind, inc, command, signal, 0, null);
  }

  Entry entryFor(String name, String kind, Incarnation inc, String command, Signal signal, int port,
      String fingerprint) {
    return new Entry(name, kind, inc.pid(), inc.pgid(), inc.startTicks(), ProcStat.bootId(), command,
        signal.name(), null, session, port, fingerprint);
  }

  Entry containerEntry(String name, String container, String command) {
    return new Entry(name, "container", 0, 0, 0, ProcStat.bootId(), command, Signal.TERM.name(), container, session,
        0, null);
  }
}
