package dev.slipway.api;

import java.util.List;

/**
 * {@code GET /api/v1/status}: the whole stack at a glance. Never holds a secret in clear text.
 *
 * @param app          application name
 * @param environment  environment running
 * @param state        {@code starting}, {@code ready}, {@code degraded}, {@code failed}, {@code stopping}
 * @param controlPlane the control plane's own address and pid
 * @param services     services in start order
 * @param resources    backing services in start order
 */
public record StatusView(
    String app,
    String environment,
    String state,
    ControlPlaneView controlPlane,
    List<ServiceView> services,
    List<ResourceView> resources) {

  /** Where the control plane runs. */
  public record ControlPlaneView(long pid, String url, String modelFile, String startedAt) {}

  /**
   * One service.
   *
   * @param name      service name
   * @param state     {@code waiting}, {@code building}, {@code starting}, {@code ready}, {@code unhealthy},
   *                  {@code restarting}, {@code crash-loop}, {@code failed}, {@code stopping}, {@code stopped}
   * @param healthy   whether every instance passes its readiness check
   * @param url       where to reach it ({@code http://127.0.0.1:PORT}), or null without a port
   * @param version   the version that serves: the current release's (during a rollout the stable one's until
   *                  the new release is promoted, e.g. by a blue-green switch; see {@code rollout.warmUntil})
   * @param restarts  restarts of all its instances together
   * @param instances its instances, of every release that runs
   * @param release   the current release id, e.g. {@code api-r3}: the one {@code version} belongs to
   * @param weights   percent of traffic per release id, as the router applies it
   * @param rollout   the rollout in progress, or null
   * @param lastRollout the most recent deployment that ended ({@code succeeded}, {@code rolled-back},
   *                  {@code aborted} or {@code failed}), with its reason; null when none has
   */
  public record ServiceView(
      String name,
      String state,
      boolean healthy,
      String url,
      String version,
      int restarts,
      List<InstanceView> instances,
      String release,
      java.util.Map<String, Integer> weights,
      DeploymentView rollout,
      DeploymentView lastRollout) {}

  /**
   * One instance of a service.
   *
   * @param restarts how often Slipway started it again (after an exit or a failed liveness check)
   * @param detail   what the last readiness check saw; while it is restarting after a crash, the crash
   * @param exits    how often its process ended on its own: the count a crash loop is reported with
   * @param crash    the lines of its log that explain its last exit (masked); empty when it never exited
   */
  public record InstanceView(String id, String release, long pid, int port, String state, boolean healthy,
      int restarts, String detail, int exits, List<String> crash) {}

  /**
   * One backing service.
   *
   * @param name     resource name
   * @param type     {@code postgres}, {@code redis}, ...
   * @param provider {@code embedded}, {@code local}, {@code docker}, {@code external}
   * @param state    {@code starting}, {@code ready}, {@code unhealthy}, {@code failed}, {@code stopped}
   * @param healthy  whether its last real check (a query, a PING) passed
   * @param host     host it listens on
   * @param port     port it listens on
   * @param pid      server process id, or -1
   * @param restarts restarts after crashes
   */
  public record ResourceView(
      String name,
      String type,
      String provider,
      String state,
      boolean healthy,
      String host,
      int port,
      long pid,
      int restarts) {}
}
