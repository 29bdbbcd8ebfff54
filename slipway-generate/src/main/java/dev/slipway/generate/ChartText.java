package dev.slipway.generate;

import dev.slipway.generate.ChartTemplates.ObjectTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chart templates as text: the object tree is written by {@link YamlText} with a placeholder where each
 * {@link ChartExpr} goes, literal {@code {{} is escaped, then each placeholder becomes its Go template
 * action. Values are written as JSON ({@code toJson}) or quoted text, so what Helm renders parses to
 * exactly the types of the kubernetes target's objects.
 */
final class ChartText {
  private static final Pattern HOLDER = Pattern.compile("SLIPWAYHOLDER(\\d+)X");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private final String chart;

  ChartText(String chart) {
    this.chart = chart;
  }

  /** The template file for one object. */
  String object(ObjectTemplate t) {
    List<ChartExpr> holders = new ArrayList<>();
    String yaml = escape(YamlText.dump(withHolders(t.tree(), holders)));
    StringBuilder out = new StringBuilder();
    if (t.condition() != null) {
      out.append("{{- if ").append(t.condition()).append(" }}\n");
    }
    for (String line : yaml.split("\n")) {
      out.append(line(line, holders)).append('\n');
    }
    if (t.condition() != null) {
      out.append("{{- end }}\n");
    }
    return out.toString();
  }

  /** {@code {{} in literal text, as Go templates need it (Argo Rollouts' {@code {{args.x}}} survive). */
  static String escape(String text) {
    return text.replace("{{", "{{ \"{{\" }}");
  }

  /** The Go template expression reading {@code path} from {@code .Values}. */
  static String ref(List<String> path) {
    if (path.stream().allMatch(s -> IDENTIFIER.matcher(s).matches())) {
      return ".Values." + String.join(".", path);
    }
    StringBuilder out = new StringBuilder("(index .Values");
    path.forEach(s -> out.append(' ').append(goString(s)));
    return out.append(')').toString();
  }

  /** A Go string literal. */
  static String goString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private String line(String line, List<ChartExpr> holders) {
    Matcher m = HOLDER.matcher(line);
    if (!m.find()) {
      return line;
    }
    ChartExpr expr = holders.get(Integer.parseInt(m.group(1)));
    String before = line.substring(0, m.start());
    if (expr instanceof ChartExpr.Labels l) {
      int column = before.length() - before.stripLeading().length();
      if (before.stripLeading().startsWith("- ")) {
        column += 2;
      }
      String helper = chart + (l.selector() ? ".selectorLabels" : ".labels");
      return before.stripTrailing() + "\n{{- include " + goString(helper) + " " + goString(l.component())
          + " | nindent " + (column + 2) + " }}";
    }
    String replaced = before + "{{ " + action(expr) + " }}" + line.substring(m.end());
    ChartParam p = expr instanceof ChartExpr.Value v ? v.param() : expr instanceof ChartExpr.Image i ? i.param() : null;
    if (p == null || !p.optional()) {
      return replaced;
    }
    List<String> path = p.path();
    String parent = path.size() == 1 ? ".Values" : ref(path.subList(0, path.size() - 1));
    return "{{- if hasKey " + parent + " " + goString(path.getLast()) + " }}\n" + replaced + "\n{{- end }}";
  }

  private String action(ChartExpr expr) {
    return switch (expr) {
      case ChartExpr.Value v -> ref(v.param().path()) + (v.param().text() ? " | quote" : " | toJson");
      case ChartExpr.Image i -> "include " + goString(chart + ".image") + " " + ref(i.param().path()) + " | quote";
      case ChartExpr.Namespace n -> ".Release.Namespace | quote";
      case ChartExpr.Namespaced n -> {
        StringBuilder out = new StringBuilder("print");
        for (int i = 0; i < n.parts().size(); i++) {
          if (i > 0) {
            out.append(" .Release.Namespace");
          }
          if (!n.parts().get(i).isEmpty()) {
            out.append(' ').append(goString(n.parts().get(i)));
          }
        }
        yield out.append(" | quote").toString();
      }
      case ChartExpr.Labels l -> throw new IllegalStateException("labels are written as an include");
    };
  }

  /** A copy of {@code tree} with a placeholder for each expression, collected in {@code holders}. */
  private static Object withHolders(Object tree, List<ChartExpr> holders) {
    return switch (tree) {
      case ChartExpr e -> {
        holders.add(e);
        yield "SLIPWAYHOLDER" + (holders.size() - 1) + "X";
      }
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, withHolders(v, holders)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(v -> out.add(withHolders(v, holders)));
        yield out;
      }
      default -> tree;
    };
  }
}
