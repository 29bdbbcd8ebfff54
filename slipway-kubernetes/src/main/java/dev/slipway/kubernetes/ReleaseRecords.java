package dev.slipway.kubernetes;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The releases of an environment, kept in its namespace as Helm keeps its own: one Secret per release,
 * {@code slipway.release.SERVICE.rN} of type {@code slipway.dev/release}, whose {@code release} key
 * holds the {@link ClusterRelease} as JSON. A record carries the config digest, never the
 * configuration: a Secret because it names images and who deployed, which a namespace's readers of
 * ConfigMaps need not see.
 *
 * <p>Writes are optimistic: {@link #create} refuses a revision that exists, {@link #update} sends the
 * resourceVersion last read, so two runners that raced past the Lease cannot silently overwrite each other.
 */
final class ReleaseRecords {
  static final String TYPE = "slipway.dev/release";
  static final String KEY = "release";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String SERVICE = "slipway.dev/service";
  static final String REVISION = "slipway.dev/revision";
  static final String STATE = "slipway.dev/state";

  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new SimpleModule("instants")
          .addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(v.toString());
            }
          })
          .addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
              return Instant.parse(p.getValueAsString());
            }
          }))
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final ClusterConnection cluster;
  /** The resourceVersion of each record as last read or written, for {@link #update}. */
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  ReleaseRecords(ClusterConnection cluster) {
    this.cluster = cluster;
  }

  static String name(String service, int revision) {
    return "slipway.release." + service + ".r" + revision;
  }

  /** The service's releases, newest (highest revision) first. */
  List<ClusterRelease> list(String service) throws KubernetesException {
    List<Secret> secrets;
    try {
      secrets = cluster.client().secrets().inNamespace(cluster.namespace())
          .withLabel(MANAGED_BY, "slipway").withLabel(SERVICE, service).list().getItems();
    } catch (KubernetesClientException e) {
      throw cluster.error(e, "list", "secrets");
    }
    List<ClusterRelease> out = new ArrayList<>();
    for (Secret s : secrets) {
      if (!TYPE.equals(s.getType()) || s.getData() == null || !s.getData().containsKey(KEY)) {
        continue;
      }
      ClusterRelease r = read(s);
      if (service.equals(r.service())) {
        versions.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion());
        out.add(r);
      }
    }
    out.sort(Comparator.comparingInt(ClusterRelease::revision).reversed());
    return out;
  }

  /** The service's newest release, if it has any. */
  Optional<ClusterRelease> latest(String service) throws KubernetesException {
    return list(service).stream().findFirst();
  }

  /** One release, if its record exists. */
  Optional<ClusterRelease> get(String service, int revision) throws KubernetesException {
    String name = name(service, revision);
    Secret s;
    try {
      s = cluster.client().secrets().inNamespace(cluster.namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw cluster.error(e, "get", "secrets");
    }
    if (s == null) {
      return Optional.empty();
    }
    versions.put(name, s.getMetadata().getResourceVersion());
    return Optional.of(read(s));
  }

  /** Records a new release; refuses a revision another runner recorded first. */
  void create(ClusterRelease release) throws KubernetesException {
    String name = name(release.service(), release.revision());
    try {
      Secret created = cluster.client().secrets().inNamespace(cluster.namespace()).resource(secret(release, null))
          .create();
      versions.put(name, created.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw cluster.error(e, "create", "secrets");
      }
      String other = get(release.service(), release.revision())
          .map(r -> " by " + r.by() + (r.started() == null ? "" : " at " + r.started())).orElse("");
      throw new KubernetesException(release.service() + " " + release.id() + " was recorded already" + other
          + ": another runner is releasing " + release.service() + " in namespace " + cluster.namespace(),
          cluster.context(), cluster.namespace(), "look at it with the history command, then run again: the next "
              + "revision will be " + (release.revision() + 1), KubernetesException.FAILED, e);
    }
  }

  /** Rewrites a release's record; refuses when another writer changed it since this one last read it. */
  void update(ClusterRelease release) throws KubernetesException {
    String name = name(release.service(), release.revision());
    String version = versions.get(name);
    if (version == null) {
      if (get(release.service(), release.revision()).isEmpty()) {
        throw new KubernetesException("no record of " + release.service() + " " + release.id() + " in namespace "
            + cluster.namespace() + " to update", cluster.context(), cluster.namespace(), null,
            KubernetesException.FAILED);
      }
      version = versions.get(name);
    }
    try {
      Secret updated = cluster.client().secrets().inNamespace(cluster.namespace())
          .resource(secret(release, version)).update();
      versions.put(name, updated.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        versions.remove(name);
        throw new KubernetesException("the record of " + release.service() + " " + release.id()
            + " was changed by another runner while this one held it (resourceVersion " + version + " is stale)",
            cluster.context(), cluster.namespace(), "see who with the status command; run again to start from "
                + "what is recorded now", KubernetesException.FAILED, e);
      }
      throw cluster.error(e, "update", "secrets");
    }
  }

  /** Deletes every release record in the namespace (for {@code down}). */
  void deleteAll() throws KubernetesException {
    try {
      List<Secret> all = cluster.client().secrets().inNamespace(cluster.namespace())
          .withLabel(MANAGED_BY, "slipway").withLabel(SERVICE).list().getItems();
      for (Secret s : all) {
        if (TYPE.equals(s.getType())) {
          cluster.client().secrets().inNamespace(cluster.namespace()).withName(s.getMetadata().getName()).delete();
        }
      }
      versions.clear();
    } catch (KubernetesClientException e) {
      throw cluster.error(e, "delete", "secrets");
    }
  }

  private Secret secret(ClusterRelease r, String resourceVersion) throws KubernetesException {
    String json;
    try {
      json = JSON.writeValueAsString(r);
    } catch (IOException e) {
      throw new KubernetesException("cannot write the record of " + r.service() + " " + r.id() + ": " + e.getMessage(),
          cluster.context(), cluster.namespace(), null, KubernetesException.FAILED, e);
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(r.service(), r.revision()))
        .withNamespace(cluster.namespace())
        .withResourceVersion(resourceVersion)
        .addToLabels(MANAGED_BY, "slipway")
        .addToLabels(SERVICE, r.service())
        .addToLabels(REVISION, Integer.toString(r.revision()))
        .addToLabels(STATE, r.state() == null ? "unknown" : r.state())
        .endMetadata()
        .withType(TYPE)
        .addToData(KEY, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private ClusterRelease read(Secret s) throws KubernetesException {
    try {
      byte[] json = Base64.getDecoder().decode(s.getData().get(KEY));
      return JSON.readValue(json, ClusterRelease.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new KubernetesException("the release record " + s.getMetadata().getName() + " in namespace "
          + cluster.namespace() + " cannot be read: " + e.getMessage(), cluster.context(), cluster.namespace(),
          "if nothing else can repair it, delete it: kubectl delete secret -n " + cluster.namespace() + " "
              + s.getMetadata().getName(), KubernetesException.FAILED, e);
    }
  }
}
