package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's layers look only down. The dependency graph of the engine's classes is read from their
 * compiled constant pools (every class, field and method type a class names is there, nested classes
 * folded into their top-level class); a cycle among them — two classes that each reach the other — is
 * a dependency running back up, and none may appear. When one appears, break it with a callback or an
 * interface owned by the lower class rather than by adding it to {@link #DELIBERATE_CYCLES}.
 */
class EngineLayersTest {
  /** Cycles kept on purpose, each with its reason: none. */
  private static final Set<Set<String>> DELIBERATE_CYCLES = Set.of();
  private static final Pattern ENGINE_CLASS = Pattern.compile("dev/slipway/engine/((?:runtime/)?[A-Za-z0-9_]+)");

  @Test
  void engineClasses_formLayersThatOnlyLookDown() throws IOException, URISyntaxException {
    Map<String, Set<String>> graph = graph();
    assertThat(graph).as("engine classes found").hasSizeGreaterThan(40).containsKeys("StackRunner", "runtime.Target");
    List<Set<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
    Map<String, Integer> levels = levels(graph);
    int backEdges = backEdges(graph);
    System.out.println(report(graph, levels, cycles, backEdges));
    // Before the engine was reshaped: 55 classes on 5 levels, one cycle of 22 classes, 30 back edges.
    assertThat(cycles).as("cycles among the engine's classes (dependencies running back up)")
        .allMatch(DELIBERATE_CYCLES::contains);
    assertThat(backEdges).as("dependencies running back up").isZero();
  }

  /** The measure itself: edges read from constant pools, cycles and back edges found on a small graph. */
  @Test
  void graph_readsEdgesFromConstantPools_andFindsCyclesAndBackEdges() throws IOException, URISyntaxException {
    Map<String, Set<String>> graph = graph();
    assertThat(graph.get("EngineContext")).contains("runtime.Target", "EngineClock");
    assertThat(graph.get("runtime.Target")).doesNotContain("StackRunner", "EngineContext");
    assertThat(stronglyConnected(Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of())))
        .contains(new TreeSet<>(Set.of("a", "b")), new TreeSet<>(Set.of("c")));
    assertThat(backEdges(Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of()))).isEqualTo(1);
  }

  /** Engine class (runtime ones as {@code runtime.X}) to the engine classes it names. */
  static Map<String, Set<String>> graph() throws IOException, URISyntaxException {
    Path root = Path.of(EngineContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve("dev/slipway/engine");
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        String name = topLevel(rel.substring(0, rel.length() - ".class".length()));
        Set<String> deps = graph.computeIfAbsent(name, k -> new TreeSet<>());
        try (InputStream in = Files.newInputStream(f)) {
          for (String s : utf8Constants(in)) {
            Matcher m = ENGINE_CLASS.matcher(s);
            while (m.find()) {
              String dep = topLevel(m.group(1));
              if (!dep.equals(name)) {
                deps.add(dep);
              }
            }
          }
        }
      }
    }
    // package-info and the like name nothing that exists as a class: keep only real nodes.
    graph.values().forEach(d -> d.retainAll(graph.keySet()));
    return graph;
  }

  private static String topLevel(String path) {
    int dollar = path.indexOf('$');
    return (dollar < 0 ? path : path.substring(0, dollar)).replace('/', '.');
  }

  /** The UTF-8 entries of a class file's constant pool (JVMS 4.4), which hold every name it uses. */
  private static List<String> utf8Constants(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return out;
  }

  /** Tarjan's strongly connected components, each sorted, in reverse topological order. */
  static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String v : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(v)) {
        tarjan(v, graph, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void tarjan(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        tarjan(w, graph, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }

  /** Level of each class: 0 names no other engine class; a cycle shares one level. */
  static Map<String, Integer> levels(Map<String, Set<String>> graph) {
    Map<String, Integer> level = new HashMap<>();
    // Tarjan emits a component only after every component it depends on.
    for (Set<String> c : stronglyConnected(graph)) {
      int l = 0;
      for (String v : c) {
        for (String w : graph.getOrDefault(v, Set.of())) {
          if (!c.contains(w)) {
            l = Math.max(l, level.get(w) + 1);
          }
        }
      }
      for (String v : c) {
        level.put(v, l);
      }
    }
    return level;
  }

  /**
   * Edges a depth-first walk (in name order) meets pointing back to a class still on its path: removing
   * them leaves no cycle, so this counts the dependencies that run back up.
   */
  static int backEdges(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
    int[] count = {0};
    for (String v : new TreeSet<>(graph.keySet())) {
      if (!state.containsKey(v)) {
        walk(v, graph, state, count);
      }
    }
    return count[0];
  }

  private static void walk(String v, Map<String, Set<String>> graph, Map<String, Integer> state, int[] count) {
    state.put(v, 1);
    for (String w : graph.getOrDefault(v, Set.of())) {
      Integer s = state.get(w);
      if (s == null) {
        walk(w, graph, state, count);
      } else if (s == 1) {
        count[0]++;
      }
    }
    state.put(v, 2);
  }

  private static String report(Map<String, Set<String>> graph, Map<String, Integer> levels, List<Set<String>> cycles,
      int backEdges) {
    StringBuilder b = new StringBuilder();
    int top = levels.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    b.append("engine: ").append(graph.size()).append(" classes on ").append(top + 1).append(" levels, ")
        .append(cycles.size()).append(" cycles, ").append(backEdges).append(" back edges\n");
    Map<Integer, Set<String>> byLevel = new TreeMap<>();
    levels.forEach((c, l) -> byLevel.computeIfAbsent(l, k -> new TreeSet<>()).add(c));
    byLevel.forEach((l, cs) -> b.append("  level ").append(l).append(": ").append(String.join(" ", cs)).append('\n'));
    for (Set<String> c : cycles) {
      b.append("  cycle: ").append(String.join(" ", c)).append('\n');
    }
    return b.toString();
  }
}
