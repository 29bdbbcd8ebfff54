package dev.slipway.engine.target;

import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import java.time.Duration;
import java.util.List;

/**
 * Where an application runs. The engine decides what to do and when; a target only does it and
 * reports back. The engine never names a concrete target.
 */
public interface Target extends AutoCloseable {

  /** A stable id: {@code local}, {@code kubernetes}. */
  String id();

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
   * Starts (or connects to) a backing service. Returns once it is started, not necessarily healthy.
   *
   * @param externalUrl for {@code provider: external}, the resolved {@code url}; otherwise {@code null}
   */
  BackingService startBackingService(BackingServiceSpec spec, String externalUrl) throws TargetException;

  /** Starts one supervised instance of a service. Returns once the process is started. */
  Instance startInstance(InstanceSpec spec) throws TargetException;

  /** Allocates a free port on 127.0.0.1 that no other part of this application uses. */
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

  /** Stops everything still running, in reverse order of start. */
  @Override
  void close();
}
