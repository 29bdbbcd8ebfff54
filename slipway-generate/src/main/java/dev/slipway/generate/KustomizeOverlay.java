package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** One environment's differences from the base, as Kustomize fields and patch files. */
final class KustomizeOverlay {
  /** Kinds whose replicas Kustomize's {@code replicas:} field sets. */
  private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet");

  private final List<Object> replicas = new ArrayList<>();
  private final Map<String, Object> images = new TreeMap<>();
  private final List<Object> patches = new ArrayList<>();
  private final List<Map<String, Object>> added = new ArrayList<>();
  private final Map<String, String> files = new LinkedHashMap<>();

  private KustomizeOverlay() {}

  static KustomizeOverlay of(Map<String, Map<String, Object>> base, List<Map<String, Object>> env) {
    KustomizeOverlay o = new KustomizeOverlay();
    Map<String, Map<String, Object>> wanted = KustomizeGenerator.byId(env);
    Map<String, String> imageChanges = o.imageChanges(base, wanted);
    for (Map.Entry<String, Map<String, Object>> e : wanted.entrySet()) {
      Map<String, Object> from = base.get(e.getKey());
      if (from == null) {
        o.added.add(e.getValue());
      } else {
        o.patch(from, e.getValue(), imageChanges);
      }
    }
    for (Map.Entry<String, Map<String, Object>> e : base.entrySet()) {
      if (!wanted.containsKey(e.getKey())) {
        Map<String, Object> gone = e.getValue();
        o.patches.add(map("patch", YamlText.dump(map("$patch", "delete", "apiVersion", gone.get("apiVersion"),
            "kind", Kube.kind(gone), "metadata", map("name", Kube.name(gone))))));
      }
    }
    return o;
  }

  /** Base image → new image, when an image changes the same way everywhere it is used. */
  @SuppressWarnings("unchecked")
  private Map<String, String> imageChanges(Map<String, Map<String, Object>> base, Map<String, Map<String, Object>> env) {
    Map<String, String> changes = new TreeMap<>();
    Set<String> conflicting = new java.util.HashSet<>();
    for (Map.Entry<String, Map<String, Object>> e : env.entrySet()) {
      Map<String, Object> from = base.get(e.getKey());
      List<Object> newC = containers(e.getValue());
      List<Object> oldC = from == null ? null : containers(from);
      if (newC == null || oldC == null || newC.size() != oldC.size()) {
        continue;
      }
      for (int i = 0; i < newC.size(); i++) {
        String was = (String) ((Map<String, Object>) oldC.get(i)).get("image");
        String now = (String) ((Map<String, Object>) newC.get(i)).get("image");
        if (was != null && now != null && !was.equals(now) && !was.contains("@")) {
          String prior = changes.putIfAbsent(was, now);
          if (prior != null && !prior.equals(now)) {
            conflicting.add(was);
          }
        }
      }
    }
    conflicting.forEach(changes::remove);
    changes.forEach((was, now) -> images.put(was, imageEntry(was, now)));
    return changes;
  }

  private static Map<String, Object> imageEntry(String was, String now) {
    String[] w = split(was);
    String[] n = split(now);
    return map("name", w[0], "newName", w[0].equals(n[0]) ? null : n[0], "newTag", n[1],
        "digest", n[2]);
  }

  /** {name, tag, digest} of an image reference. */
  private static String[] split(String image) {
    String digest = null;
    int at = image.indexOf('@');
    if (at >= 0) {
      digest = image.substring(at + 1);
      image = image.substring(0, at);
    }
    int colon = image.indexOf(':', image.lastIndexOf('/') + 1);
    return colon < 0 ? new String[] {image, null, digest}
        : new String[] {image.substring(0, colon), image.substring(colon + 1), digest};
  }

  @SuppressWarnings("unchecked")
  private void patch(Map<String, Object> from, Map<String, Object> to, Map<String, String> imageChanges) {
    Map<String, Object> expected = Kube.copy(from);
    List<Object> cs = containers(expected);
    if (cs != null) {
      for (Object c : cs) {
        Map<String, Object> container = (Map<String, Object>) c;
        String image = (String) container.get("image");
        if (image != null && imageChanges.containsKey(image)) {
          container.put("image", imageChanges.get(image));
        }
      }
    }
    Object want = Kube.child(to, "spec") == null ? null : Kube.child(to, "spec").get("replicas");
    Map<String, Object> spec = Kube.child(expected, "spec");
    if (SCALABLE.contains(Kube.kind(to)) && want != null && spec != null && spec.containsKey("replicas")
        && !Objects.equals(spec.get("replicas"), want)) {
      replicas.add(map("name", Kube.name(to), "count", want));
      spec.put("replicas", want);
    }
    List<Object> ops = JsonPatchDiff.diff(expected, to);
    if (!ops.isEmpty()) {
      String file = "patches/" + Kube.kind(to).toLowerCase(java.util.Locale.ROOT) + "-" + Kube.name(to) + ".yaml";
      files.put(file, YamlText.dump(ops));
      patches.add(map("path", file, "target", target(to)));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> containers(Map<String, Object> object) {
    Map<String, Object> pod = Kube.child(object, "spec", "template", "spec");
    return pod == null ? null : (List<Object>) pod.get("containers");
  }

  private static Map<String, Object> target(Map<String, Object> object) {
    String apiVersion = (String) object.get("apiVersion");
    int slash = apiVersion.indexOf('/');
    return map("group", slash < 0 ? null : apiVersion.substring(0, slash),
        "version", apiVersion.substring(slash + 1), "kind", Kube.kind(object), "name", Kube.name(object));
  }

  Map<String, Object> kustomization(String namespace) {
    List<Object> resources = list("../../base", "namespace.yaml");
    if (!added.isEmpty()) {
      resources.add("added.yaml");
      files.put("added.yaml", YamlText.dumpAll(added));
    }
    return map("apiVersion", KustomizeGenerator.API, "kind", "Kustomization",
        "namespace", namespace,
        "resources", resources,
        "replicas", replicas.isEmpty() ? null : replicas,
        "images", images.isEmpty() ? null : new ArrayList<>(images.values()),
        "patches", patches.isEmpty() ? null : patches);
  }

  /** Extra files of the overlay (patches, added objects) by name; complete after {@link #kustomization}. */
  Map<String, String> files() {
    return files;
  }

  String summary() {
    return "overlay: " + replicas.size() + " replica change(s), " + images.size() + " image change(s), "
        + patches.size() + " patch(es), " + added.size() + " added object(s)";
  }
}
