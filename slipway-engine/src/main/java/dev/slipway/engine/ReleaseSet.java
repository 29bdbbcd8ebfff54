package dev.slipway.engine;

import dev.slipway.store.Release;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The instances of one release of a service. */
final class ReleaseSet {
  final Release release;
  final ReleaseConfig config;
  /** Where the release's instances run: its artifact snapshot, or null for the model's directory. */
  final Path workDir;
  final List<InstanceRuntime> instances = new CopyOnWriteArrayList<>();

  ReleaseSet(Release release, ReleaseConfig config, Path workDir) {
    this.release = release;
    this.config = config;
    this.workDir = workDir;
  }

  String id() {
    return release.id();
  }

  String version() {
    return release.version();
  }

  /** Instance ids are the release id and a 1-based index: {@code api-r2-1}. */
  String instanceId(int index) {
    return release.id() + "-" + index;
  }

  List<InstanceRuntime> live() {
    return instances.stream().filter(i -> !i.retired).toList();
  }

  boolean allReady() {
    List<InstanceRuntime> live = live();
    return !live.isEmpty() && live.stream().filter(i -> !i.draining).allMatch(i -> i.ready && !i.routePending);
  }
}
