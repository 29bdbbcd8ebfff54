package dev.slipway.engine.runtime;

import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import dev.slipway.model.TargetCapability;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Where an application runs. The engine decides what to do and when; a target only does it and
 * reports back what is true afterwards (read back, not what was asked for). The engine never names a
 * concrete target. Workloads are release sets: instances {@code R-1..R-N} of release {@code R}, started
 * with {@link #startInstance}, stopped highest index first ({@link Instance#stop}); traffic is weights
 * per release with compare-and-set and read-back ({@link Traffic}). Process-level details (process
 * groups, loopback ports, log files) belong to the local target. How a cluster maps each call:
 * docs/decisions/0015-a-target-acts-and-reports.md.
 */
public interface Target extends AutoCloseable {

  /** A stable id: {@code local}, {@code kubernetes}. */
  String id();

  /**
   * Keeps {@code value} in the target's private secret store and returns its id, the same for the
   * same value on this target: how a release records the literal value of a secret-named variable
   * (a {@code --set API_TOKEN=…}) without the state store ever holding it in clear
   * (docs/decisions/0017-secrets-are-kept-apart-and-masked-at-every-sink.md).
   */
  default String keepSecret(String value) throws TargetException {
    throw new TargetException(null, "target " + id() + " has no secret store for literal secrets",
        "declare the value under `secrets:` and reference it as ${secrets.NAME}", List.of());
  }

  /** A value kept by {@link #keepSecret}, or empty when this target's store does not hold it. */
  default java.util.Optional<String> keptSecret(String id) throws TargetException {
    return java.util.Optional.empty();
  }

  /**
   * Stops whatever an earlier control plane of the same application left running (after a crash or
   * {@code kill -9}), so nothing is orphaned.
   *
   * @return a human-readable line per process group or container stopped
   */
  List<String> cleanUpLeftovers() throws TargetException;

  /**
   * Builds a service's artifact, in the foreground, within {@code deadline}, unless its inputs did
   * not change since the last successful build (and its outputs exist), or the same command already
   * ran successfully in this session.
   *
   * @throws TargetException when the build fails or times out; its details carry the output's tail
   */
  BuildResult build(String service, BuildSpec build, Duration deadline) throws TargetException;

  /**
   * Copies a service's build outputs into the content-addressed artifact store (once per digest),
   * so a release keeps its exact files however the working tree changes later.
   *
   * @return the snapshot, or {@code null} when the build declares no outputs (the release then runs
   *     from the model file's directory)
   */
  default ArtifactRef snapshot(String service, BuildSpec build) throws TargetException {
    return null;
  }

  /** The artifact snapshot with this digest, if the store still has it. */
  default java.util.Optional<ArtifactRef> artifact(String digest) {
    return java.util.Optional.empty();
  }

  /**
   * The traffic layer: stable front addresses and weighted routes. Starts the router on first use,
   * or reattaches to the one a previous control plane left running.
   */
  default Traffic traffic() throws TargetException {
    throw new TargetException(null, "target " + id() + " has no traffic router", null, List.of());
  }

  /**
   * After a control plane restart: finds what an earlier control plane left running (instances,
   * backing services, the router) and keeps it, instead of killing it. Later {@code start*} calls for
   * the same ids reattach to the running processes; {@link #stopUnclaimed()} stops the rest.
   */
  default Adopted adopt() throws TargetException {
    cleanUpLeftovers();
    return new Adopted(java.util.Map.of(), java.util.Set.of(), false);
  }

  /** Stops adopted processes that no {@code start*} call reattached to since {@link #adopt()}. */
  default List<String> stopUnclaimed() throws TargetException {
    return List.of();
  }

  /**
   * Starts (or connects to) a backing service. Returns once it is started, not necessarily healthy.
   *
   * @param externalUrl for {@code provider: external}, the resolved {@code url}; otherwise {@code null}
   */
  BackingService startBackingService(BackingServiceSpec spec, String externalUrl) throws TargetException;

  /** Starts one supervised instance of a service. Returns once the process is started. */
  Instance startInstance(InstanceSpec spec) throws TargetException;

  /**
   * The log files every instance of {@code release} wrote, by instance id in index order — also of
   * instances that no longer run (a retired release, a candidate that was rolled back), so their
   * output can be read afterwards. Lines read from them must be masked before they are shown.
   */
  default java.util.Map<String, java.nio.file.Path> releaseLogs(String release) throws TargetException {
    return java.util.Map.of();
  }

  /**
   * The port instance {@code owner} listens on, which the engine hands it as {@code PORT}: on the local
   * target a free port on 127.0.0.1 that no other part of this application uses; on a cluster, the
   * service's container port.
   */
  int allocatePort(String owner) throws TargetException;

  /**
   * Deletes the data of the named backing services (for {@code down --volumes}). Only called after
   * they are stopped.
   *
   * @return a human-readable line per data set deleted
   */
  default List<String> deleteData(java.util.Collection<String> resourceNames) throws TargetException {
    return List.of();
  }

  /**
   * What this target can do for a release beyond starting, stopping and switching all traffic. Empty
   * unless a target says otherwise: the engine then refuses strategies whose steps need more,
   * instead of finding out halfway through a rollout.
   */
  default Set<TargetCapability> capabilities() {
    return Set.of();
  }

  /** Stops everything still running, in reverse order of start. */
  @Override
  void close();
}
