package dev.slipway.api;

/** The control plane's HTTP API paths, documented in {@code docs/api.md}. */
public final class ApiPaths {
  private ApiPaths() {}

  public static final String HEALTH = "/api/v1/health";
  public static final String STATUS = "/api/v1/status";
  public static final String EVENTS = "/api/v1/events";
  /** {@code /api/v1/services/{name}/logs?tail=N&follow=true}. */
  public static final String SERVICES = "/api/v1/services/";
  public static final String DOWN = "/api/v1/down";

  /** Files under the state directory shared by control plane and CLI. */
  public static final String INFO_FILE = "run/control-plane.json";
  public static final String TOKEN_FILE = "run/token";
  /**
   * The state store's URL (which may hold its password), handed from {@code slipway up} to the
   * control plane in this 0600 file rather than on its command line, where {@code ps} shows it to
   * every user; the control plane deletes it once read.
   */
  public static final String STORE_URL_FILE = "run/store-url";
  public static final String CONTROL_PLANE_LOG = "logs/control-plane.log";
  /** Left by a control plane that stopped acting and left the stack running ({@link DetachedNote}). */
  public static final String DETACHED_FILE = "run/detached.json";
  /** What the local target measured of each service's instances ({@link ResourceUsage}). */
  public static final String USAGE_FILE = "state/usage.json";
}
