package dev.slipway.engine.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * One instance of a service to run.
 *
 * @param service     the service name
 * @param instanceId  unique id of this instance, e.g. {@code api-r2-1} (service, release number, index)
 * @param release     the release it runs, e.g. {@code api-r2}
 * @param version     the version label the instance runs ({@code APP_VERSION})
 * @param command     the shell command ({@code sh -c})
 * @param workDir     where the command runs: the release's artifact snapshot, or {@code null} for the
 *                    model file's directory (releases without build outputs)
 * @param env         the full environment added to Slipway's own (resolved references, PORT, ...)
 * @param port        the port it listens on, or 0 when it has none
 * @param stopTimeout how long a graceful stop may take before the process group is killed
 */
public record InstanceSpec(
    String service,
    String instanceId,
    String release,
    String version,
    String command,
    java.nio.file.Path workDir,
    Map<String, String> env,
    int port,
    Duration stopTimeout) {
  public InstanceSpec {
    env = Map.copyOf(env);
  }
}
