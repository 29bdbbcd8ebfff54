package dev.slipway.generate;

import dev.slipway.generate.ChartRules.Rule;
import dev.slipway.generate.ChartRules.Subject;
import dev.slipway.model.AppSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Derives the chart's templates from the kubernetes target's object trees themselves: every variant's
 * objects are walked side by side; where all agree the template holds the literal, where they differ
 * (or a {@link ChartRules rule} names the field) it holds a {@link ChartExpr} reading {@code .Values}.
 * Objects only some variants have are wrapped in an {@code enabled} condition. New object kinds need no
 * code here.
 */
final class ChartTemplates {
  /**
   * One template file.
   *
   * @param tree      the object with {@link ChartExpr}s where values go
   * @param condition the Go template condition the whole object depends on, or null
   */
  record ObjectTemplate(String file, String kind, String name, String component, Object tree, String condition,
      ChartParam enabled) {}

  final List<ObjectTemplate> objects = new ArrayList<>();
  final List<ChartParam> params = new ArrayList<>();
  private final AppSpec app;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  /** Values paths in use, and every proper prefix of one: a path may be neither inside nor above another. */
  private final Set<List<String>> taken = new HashSet<>();
  private final Set<List<String>> above = new HashSet<>();
  private final Map<List<String>, ChartParam> byRule = new HashMap<>();

  private ChartTemplates(AppSpec app, List<ChartVariant> variants) {
    this.app = app;
    variants.forEach(v -> namespaces.put(v.key(), v.namespace()));
  }

  static ChartTemplates derive(AppSpec app, List<ChartVariant> variants) {
    ChartTemplates t = new ChartTemplates(app, variants);
    Map<String, Map<String, Object>> byObject = new LinkedHashMap<>();
    for (ChartVariant v : variants) {
      for (Map<String, Object> o : v.objects()) {
        boolean ownNamespace = Kube.kind(o).equals("Namespace") && Kube.name(o).equals(v.namespace());
        String id = Kube.kind(o) + "/" + (ownNamespace ? "" : Kube.name(o));
        byObject.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(v.key(), o);
      }
    }
    Set<String> files = new LinkedHashSet<>();
    for (Map<String, Object> present : byObject.values()) {
      t.add(present, variants.size(), files);
    }
    return t;
  }

  @SuppressWarnings("unchecked")
  private void add(Map<String, Object> present, int variantCount, Set<String> files) {
    Map<String, Object> sample = (Map<String, Object>) present.values().iterator().next();
    String kind = Kube.kind(sample);
    String name = Kube.name(sample);
    Map<String, Object> labels = Kube.child(sample, "metadata", "labels");
    String component = labels != null && labels.get(Kube.NAME) instanceof String c ? c : name;
    String group = app.services().containsKey(component) ? "services"
        : app.resources().containsKey(component) ? "resources" : "other";
    boolean namespace = kind.equals("Namespace") && present.size() == variantCount
        && present.entrySet().stream().allMatch(e -> Kube.name((Map<String, Object>) e.getValue())
            .equals(namespaces.get(e.getKey())));
    Subject s = new Subject(kind, name, component, group, key(kind, name, component), present.keySet(),
        soleContainer(present.values()));
    Object tree = walk(s, List.of(), present, false);
    String condition = null;
    ChartParam enabled = null;
    if (namespace) {
      condition = ".Values.namespace.create";
    } else if (present.size() < variantCount) {
      Map<String, Object> flags = new LinkedHashMap<>();
      namespaces.keySet().forEach(v -> flags.put(v, present.containsKey(v)));
      enabled = register(s, List.of("enabled"), null, flags, false, namespaces.keySet(), kind + " " + name);
      condition = ChartText.ref(enabled.path());
    }
    String base = namespace ? "namespace" : name + "-" + kind.toLowerCase(Locale.ROOT);
    String file = base;
    for (int i = 2; !files.add(file); i++) {
      file = base + "-" + i;
    }
    objects.add(new ObjectTemplate("templates/" + file + ".yaml", kind, name, component, tree, condition, enabled));
  }

  /** The name of the pod template's only container, when every variant has just that one; else null. */
  private static String soleContainer(java.util.Collection<Object> objects) {
    Set<Object> names = new HashSet<>();
    for (Object o : objects) {
      Object containers = at(o, "spec", "template", "spec", "containers");
      if (!(containers instanceof List<?> l) || l.size() != 1) {
        return null;
      }
      names.add(itemName(l.getFirst()));
    }
    return names.size() == 1 && names.iterator().next() instanceof String n ? n : null;
  }

  /** The object's key under its component's values: {@code deployment}, {@code autoscaling}, {@code servicePreview}. */
  static String key(String kind, String name, String component) {
    String k = kind.equals("HorizontalPodAutoscaler") ? "autoscaling" : decapitalize(kind);
    if (name.equals(component)) {
      return k;
    }
    String rest = name.startsWith(component + "-") ? name.substring(component.length() + 1) : name;
    StringBuilder out = new StringBuilder(k);
    for (String word : rest.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty()) {
        out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return out.toString();
  }

  /** {@code ConfigMap} → {@code configMap}; a leading acronym as one word: {@code HTTPRoute} → {@code httpRoute}. */
  static String decapitalize(String kind) {
    int upper = 0;
    while (upper < kind.length() && Character.isUpperCase(kind.charAt(upper))) {
      upper++;
    }
    int lower = upper > 1 && upper < kind.length() ? upper - 1 : Math.max(upper, 1);
    return kind.substring(0, lower).toLowerCase(Locale.ROOT) + kind.substring(lower);
  }

  private Object walk(Subject s, List<String> path, Map<String, Object> nodes, boolean inList) {
    ChartExpr special = ChartRules.special(app, s, path, nodes, namespaces, inList);
    if (special != null) {
      return special;
    }
    Rule rule = ChartRules.rule(s, path);
    if (rule != null && (!rule.image() || nodes.values().stream().allMatch(n -> n instanceof String))) {
      ChartParam p = register(s, path, rule, rule.image() ? images(nodes) : nodes, false, s.variants(), null);
      return rule.image() ? new ChartExpr.Image(p) : new ChartExpr.Value(p);
    }
    Object first = nodes.values().iterator().next();
    if (nodes.values().stream().allMatch(n -> n instanceof Map)) {
      return walkMap(s, path, nodes, inList);
    }
    if (aligned(nodes)) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < ((List<?>) first).size(); i++) {
        Map<String, Object> items = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : nodes.entrySet()) {
          items.put(e.getKey(), ((List<?>) e.getValue()).get(i));
        }
        out.add(walk(s, append(path, segment(((List<?>) first).get(i), i)), items, true));
      }
      return out;
    }
    if (nodes.values().stream().allMatch(first::equals)) {
      return first;
    }
    ChartExpr.Namespaced namespaced = ChartRules.namespaced(nodes, namespaces);
    return namespaced != null ? namespaced : new ChartExpr.Value(register(s, path, null, nodes, false, s.variants(), null));
  }

  @SuppressWarnings("unchecked")
  private Object walkMap(Subject s, List<String> path, Map<String, Object> nodes, boolean inList) {
    Set<String> keys = new LinkedHashSet<>();
    nodes.values().forEach(n -> keys.addAll(((Map<String, Object>) n).keySet()));
    List<String> required = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    for (String k : keys) {
      (nodes.values().stream().allMatch(n -> ((Map<String, Object>) n).containsKey(k)) ? required : optional).add(k);
    }
    if (required.isEmpty() && !optional.isEmpty()) {
      // Nothing to hang the conditional keys under: the whole map is one value.
      return new ChartExpr.Value(register(s, path, null, nodes, false, s.variants(), null));
    }
    List<String> order = new ArrayList<>(keys);
    if (inList && optional.contains(order.getFirst())) {
      // A list item's first key carries the `- `: keep an unconditional one there.
      order.remove(required.getFirst());
      order.addFirst(required.getFirst());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : order) {
      Map<String, Object> children = new LinkedHashMap<>();
      nodes.forEach((v, n) -> {
        if (((Map<String, Object>) n).containsKey(k)) {
          children.put(v, ((Map<String, Object>) n).get(k));
        }
      });
      List<String> childPath = append(path, k);
      if (required.contains(k)) {
        out.put(k, walk(s, childPath, children, false));
      } else {
        Rule rule = ChartRules.rule(s, childPath);
        boolean image = rule != null && rule.image() && children.values().stream().allMatch(n -> n instanceof String);
        ChartParam p = register(s, childPath, rule, image ? images(children) : children, true, s.variants(), null);
        out.put(k, image ? new ChartExpr.Image(p) : new ChartExpr.Value(p));
      }
    }
    return out;
  }

  private static Object at(Object tree, String... path) {
    Object cur = tree;
    for (String p : path) {
      cur = cur instanceof Map<?, ?> m ? m.get(p) : null;
    }
    return cur;
  }

  private static Map<String, Object> images(Map<String, Object> nodes) {
    Map<String, Object> out = new LinkedHashMap<>();
    nodes.forEach((v, n) -> out.put(v, ChartRules.image((String) n)));
    return out;
  }

  /** Lists of one length whose items line up (same {@code name} at each place, or none). */
  private static boolean aligned(Map<String, Object> nodes) {
    Object first = nodes.values().iterator().next();
    if (!(first instanceof List<?> list)) {
      return false;
    }
    for (Object n : nodes.values()) {
      if (!(n instanceof List<?> other) || other.size() != list.size()) {
        return false;
      }
      for (int i = 0; i < list.size(); i++) {
        if (!Objects.equals(itemName(list.get(i)), itemName(other.get(i)))) {
          return false;
        }
      }
    }
    return true;
  }

  private static String itemName(Object item) {
    return item instanceof Map<?, ?> m && m.get("name") instanceof String n ? n : null;
  }

  private static String segment(Object item, int index) {
    String name = itemName(item);
    return name != null ? name : Integer.toString(index);
  }

  private ChartParam register(Subject s, List<String> objectPath, Rule rule, Map<String, Object> nodes,
      boolean optional, Set<String> objectVariants, String meaning) {
    List<String> path = null;
    if (rule != null) {
      path = concat(s.prefix(), rule.path());
      meaning = s.group() + "." + s.component() + "." + rule.modelField();
      ChartParam shared = byRule.get(path);
      if (shared != null && shared.absorb(nodes, objectVariants, optional)) {
        return shared;
      }
    }
    if (path == null || conflicts(path)) {
      path = concat(concat(s.prefix(), List.of(s.key())), objectPath);
    }
    List<String> unique = path;
    for (int i = 2; conflicts(unique); i++) {
      unique = append(path.subList(0, path.size() - 1), path.getLast() + i);
    }
    taken.add(unique);
    for (int i = 1; i < unique.size(); i++) {
      above.add(unique.subList(0, i));
    }
    if (meaning == null) {
      meaning = s.kind() + " " + s.name() + " " + String.join(".", objectPath);
    }
    ChartParam p = new ChartParam(unique, meaning, nodes, objectVariants, optional);
    params.add(p);
    if (rule != null && unique.equals(path)) {
      byRule.put(unique, p);
    }
    return p;
  }

  private boolean conflicts(List<String> path) {
    if (above.contains(path)) {
      return true;
    }
    for (int i = 1; i <= path.size(); i++) {
      if (taken.contains(path.subList(0, i))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> append(List<String> path, String segment) {
    return concat(path, List.of(segment));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
