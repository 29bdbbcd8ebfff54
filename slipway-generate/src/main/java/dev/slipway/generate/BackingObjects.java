package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL and Redis run in the cluster: a StatefulSet with a persistent volume per pod, a headless
 * Service for its stable DNS name, hardened like the services. The password comes from the app's
 * Secret under {@code NAME-password}.
 */
final class BackingObjects {
  /** The uid and gid of the postgres and redis users in the official images. */
  static final int IMAGE_USER = 999;
  static final String STORAGE = "1Gi";

  private BackingObjects() {}

  static List<Map<String, Object>> objects(AppSpec app, BackingServiceSpec r, String namespace) {
    Map<String, Object> service = Kube.object("v1", "Service", r.name(), namespace, Kube.labels(app, r.name()));
    service.put("spec", map("clusterIP", "None", "selector", Kube.selector(app, r.name()),
        "ports", list(map("name", r.type().key(), "port", ClusterEndpoints.port(r), "targetPort", r.type().key(),
            "protocol", "TCP"))));
    Map<String, Object> sts = Kube.object("apps/v1", "StatefulSet", r.name(), namespace, Kube.labels(app, r.name()));
    sts.put("spec", map(
        "serviceName", r.name(),
        "replicas", 1,
        "selector", map("matchLabels", Kube.selector(app, r.name())),
        "template", map("metadata", map("labels", Kube.labels(app, r.name())), "spec", map(
            "automountServiceAccountToken", false,
            "enableServiceLinks", false,
            "securityContext", WorkloadObjects.podSecurity(IMAGE_USER),
            "containers", list(container(app, r)),
            "volumes", list(map("name", "tmp", "emptyDir", map()), map("name", "run", "emptyDir", map())))),
        "volumeClaimTemplates", list(map(
            "metadata", map("name", "data", "labels", Kube.labels(app, r.name())),
            "spec", map("accessModes", list("ReadWriteOnce"),
                "resources", map("requests", map("storage", STORAGE)))))));
    return List.of(service, sts);
  }

  /** The image: the official one at the model's major version. */
  static String image(BackingServiceSpec r) {
    String version = r.version() != null ? r.version() : r.type().defaultVersion();
    return r.type().key() + ":" + version;
  }

  private static Map<String, Object> container(AppSpec app, BackingServiceSpec r) {
    boolean postgres = r.type() == BackingServiceType.POSTGRES;
    String dataDir = postgres ? "/var/lib/postgresql/data" : "/data";
    List<Object> env = postgres
        ? list(map("name", "POSTGRES_USER", "value", ClusterEndpoints.username(app, r)),
            map("name", "POSTGRES_DB", "value", ClusterEndpoints.database(app, r)),
            map("name", "POSTGRES_PASSWORD", "valueFrom", EnvObjects.secretRef(app, ClusterEndpoints.passwordKey(r))),
            map("name", "PGDATA", "value", dataDir + "/pgdata"))
        : list(map("name", "REDIS_PASSWORD", "valueFrom", EnvObjects.secretRef(app, ClusterEndpoints.passwordKey(r))));
    List<Object> check = postgres
        ? list("pg_isready", "-h", "127.0.0.1", "-U", ClusterEndpoints.username(app, r), "-d",
            ClusterEndpoints.database(app, r))
        : list("sh", "-c", "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG");
    Map<String, Object> c = map(
        "name", r.type().key(),
        "image", image(r),
        "imagePullPolicy", "IfNotPresent",
        "args", postgres ? null : list("--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes", "--dir", dataDir),
        "ports", list(map("name", r.type().key(), "containerPort", ClusterEndpoints.port(r), "protocol", "TCP")),
        "env", env,
        "startupProbe", exec(check, 2, 30),
        "readinessProbe", exec(check, 5, 3),
        "livenessProbe", exec(check, 10, 6),
        "resources", map(
            "requests", map("cpu", "250m", "memory", "256Mi"),
            "limits", map("cpu", "1", "memory", "512Mi")),
        "securityContext", WorkloadObjects.containerSecurity(),
        "volumeMounts", list(
            map("name", "data", "mountPath", dataDir),
            map("name", "tmp", "mountPath", "/tmp"),
            map("name", "run", "mountPath", postgres ? "/var/run/postgresql" : "/run")));
    return c;
  }

  private static Map<String, Object> exec(List<Object> command, int period, int failureThreshold) {
    return map("exec", map("command", command), "periodSeconds", period, "timeoutSeconds", 5,
        "failureThreshold", failureThreshold);
  }
}
