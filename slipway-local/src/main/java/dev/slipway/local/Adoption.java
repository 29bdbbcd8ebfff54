package dev.slipway.local;

import dev.slipway.engine.runtime.Adopted;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process groups an earlier control plane left running and this one took over: kept running
 * until a {@code start*} call claims one (and reattaches to it) or {@link #stopUnclaimed} stops the
 * rest. Their registry entries keep the earlier session until claimed, so a control plane that
 * crashes again before claiming them leaves them to the next one.
 */
final class Adoption {

  /** The kinds a later control plane can take over; builds, initdb and Docker clients are stopped. */
  static final Set<String> KINDS = Set.of("instance", "server", "router");

  private record Key(String kind, String name) {}

  private final ProcessRegistry registry;
  private final Map<Key, ProcessRegistry.Entry> waiting = new ConcurrentHashMap<>();

  Adoption(ProcessRegistry registry) {
    this.registry = registry;
  }

  /**
   * Reads the registry: groups of other sessions whose leader still runs (same pid and start time,
   * not a zombie) are kept for adoption; everything else recorded there is stopped.
   *
   * @param stopped receives a line per leftover stopped
   */
  Adopted adopt(List<String> stopped) throws IOException {
    List<ProcessRegistry.Entry> others = registry.entries().stream()
        .filter(e -> !registry.session().equals(e.session())).toList();
    Map<Key, ProcessRegistry.Entry> keep = new HashMap<>();
    List<ProcessRegistry.Entry> rest = new ArrayList<>();
    for (ProcessRegistry.Entry e : others) {
      if (!KINDS.contains(e.kind()) || !Leftovers.leaderRuns(e)) {
        rest.add(e);
        continue;
      }
      // Two live records of one name should not happen; the newer one is what runs now.
      Key key = new Key(e.kind(), e.name());
      ProcessRegistry.Entry before = keep.get(key);
      if (before == null || e.startTicks() > before.startTicks()) {
        keep.put(key, e);
        if (before != null) {
          rest.add(before);
        }
      } else {
        rest.add(e);
      }
    }
    stopped.addAll(Leftovers.stop(registry, rest, "leftover"));
    waiting.putAll(keep);
    return snapshot();
  }

  /** What is adopted and not yet claimed. */
  Adopted snapshot() {
    Map<String, Integer> instances = new HashMap<>();
    Set<String> resources = new HashSet<>();
    boolean router = false;
    for (ProcessRegistry.Entry e : waiting.values()) {
      switch (e.kind()) {
        case "instance" -> instances.put(e.name(), e.port());
        case "server" -> resources.add(e.name());
        case "router" -> router = true;
        default -> { }
      }
    }
    return new Adopted(instances, resources, router);
  }

  /** The adopted group of that kind and name, still waiting, if its leader still runs. */
  Optional<ProcessRegistry.Entry> peek(String kind, String name) {
    return Optional.ofNullable(waiting.get(new Key(kind, name))).filter(Leftovers::leaderRuns);
  }

  /** Removes and returns the adopted group of that kind and name (running or not). */
  Optional<ProcessRegistry.Entry> claim(String kind, String name) {
    return Optional.ofNullable(waiting.remove(new Key(kind, name)));
  }

  /** The adopted groups not yet claimed. */
  List<ProcessRegistry.Entry> waiting() {
    return List.copyOf(waiting.values());
  }

  /** Stops every adopted group nobody claimed. */
  List<String> stopUnclaimed() throws IOException {
    Collection<ProcessRegistry.Entry> rest = List.copyOf(waiting.values());
    waiting.clear();
    return Leftovers.stop(registry, rest, "unclaimed");
  }

  /**
   * Stops a claimed group that cannot be reattached to (it runs something else than asked for), so
   * a fresh one can start in its place.
   */
  List<String> replace(ProcessRegistry.Entry entry) throws IOException {
    return Leftovers.stop(registry, List.of(entry), "adopted");
  }
}
