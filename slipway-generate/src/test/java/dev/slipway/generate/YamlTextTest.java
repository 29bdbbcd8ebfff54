package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The fast writer gives exactly SnakeYAML's bytes, and what it writes reads back as the same tree. */
class YamlTextTest {
  private static final List<String> TRICKY = List.of("plain", "two words", "0238321843224588", "0123", "1e5", "12_3",
      "0x1F", "1:20", "yes", "On", "NO", "y", "~", "", " lead", "trail ", "a: b", "a #b", "#x", "-x", "- x", "*x", "&x",
      "!x", "|x", ">x", "%x", "@x", "`x", "'x'", "\"x\"", "[x]", "{x}", "a,b", "x:", "http://api:8080/x", "2001-12-14",
      ".inf", ".5", "+1", "null", "Null", "true", "=", "<<", "a\nb", "a\nb\n", "tab\there", "ünïcode", "$(VAR)",
      "${x}", "{{ .Values.x }}", "x\\y", "50%", "1.0", "-1", "0", "line with 'quotes'", "ends with colon:");

  @Test
  void dump_givesSnakeYamlsBytes_forTrickyScalarsInEveryPosition() {
    Map<String, Object> tree = new LinkedHashMap<>();
    List<Object> list = new ArrayList<>();
    for (String s : TRICKY) {
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put(s.isEmpty() ? "empty" : s, s);
      nested.put("list", List.of(s, List.of(s, 1, true), Map.of("k", s)));
      tree.put("k" + tree.size(), s);
      list.add(s);
      list.add(nested);
    }
    tree.put("list", list);
    tree.put("numbers", List.of(1, 2, 0.5, -3, Long.MAX_VALUE, true, false));
    tree.put("emptyMap", Map.of());
    tree.put("emptyList", List.of());
    tree.put("null", null);
    tree.put("nested", List.of(List.of(List.of("deep", Map.of("a", "b")))));
    tree.put("k".repeat(130), "a key SnakeYAML writes as a complex key");

    assertThat(YamlText.dump(tree)).isEqualTo(YamlText.dumpWithSnakeYaml(tree));
    assertThat((Object) new Yaml().load(YamlText.dump(tree))).isEqualTo(tree);
  }

  @Test
  void dump_givesSnakeYamlsBytes_forEveryObjectOfTheExample() {
    AppSpec app = ModelLoader.load(Path.of("..", "examples", "shop", "slipway.yaml"), "production");
    GenerateOptions options = new GenerateOptions("production", Map.of("production", app), true, null, null);
    List<Map<String, Object>> objects = KubernetesGenerator.objects(app, options);

    assertThat(objects).hasSizeGreaterThan(10);
    for (Map<String, Object> o : objects) {
      assertThat(YamlText.dump(o)).as(Kube.kind(o) + " " + Kube.name(o)).isEqualTo(YamlText.dumpWithSnakeYaml(o));
    }
  }

  @Test
  void dumpAll_givesSnakeYamlsBytes_forEachDocument() {
    List<Object> docs = List.of(Map.of("a", "b"), Map.of("multi\nline key", 1), List.of("x", Map.of("k", "v")));

    assertThat(YamlText.dumpAll(docs)).isEqualTo(YamlText.dumpAllWithSnakeYaml(docs));
  }

  @Test
  void dumpAll_separatesDocuments_andReadsBackAsTheSameTrees() {
    List<Object> docs = List.of(Map.of("a", "b"), List.of("x"), Map.of("n", 1));

    String text = YamlText.dumpAll(docs);

    assertThat(text).startsWith("---\na: b\n").contains("---\n- x\n");
    List<Object> back = new ArrayList<>();
    new Yaml().loadAll(text).forEach(back::add);
    assertThat(back).isEqualTo(docs);
  }
}
