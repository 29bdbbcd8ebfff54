package dev.slipway.kubernetes.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** What the simulated controllers share: selectors, owners, hashes, names, timestamps. */
final class Sim {

  /** Kubernetes' alphabet for generated names: no vowels, no look-alike digits. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Sim() {}

  /** Whether a selector selects these labels; a null or empty selector selects nothing. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    Map<String, String> want = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    if (want.isEmpty() && expressions.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : expressions) {
      String value = have.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a Service's map selector selects these labels (empty selects nothing). */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && matches(new LabelSelector(null, selector), labels);
  }

  /** The controller owner of an object, if any. */
  static Optional<OwnerReference> controller(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static boolean ownedBy(HasMetadata o, HasMetadata owner) {
    return controller(o).map(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid())).orElse(false);
  }

  static boolean ownedBy(HasMetadata o, String kind, String name) {
    return controller(o).map(r -> kind.equals(r.getKind()) && name.equals(r.getName())).orElse(false);
  }

  static OwnerReference ownerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * A stable hash of an object (a pod template) as the controllers name revisions: the same
   * content gives the same hash whatever the order of its map keys.
   */
  static String hash(Object o) {
    try {
      String canonical = SORTED.writeValueAsString(SORTED.readValue(Serialization.asJson(o), Object.class));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        out.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
      }
      return out.toString();
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Five random characters, as a ReplicaSet's pods are named. */
  static String suffix() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      out.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  /** RFC 3339 with seconds, as the API server writes times. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static boolean ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  static boolean terminating(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + '/' + o.getMetadata().getName();
  }

  /** The same object as JSON, for comparing what is with what should be. */
  static String json(Object o) {
    return o == null ? "null" : Serialization.asJson(o);
  }
}
