package dev.slipway.generate;

import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * YAML as every generator writes it: block style, two-space indent, keys in insertion order (build
 * trees from {@link java.util.LinkedHashMap}s), long lines unwrapped, no timestamps. The same tree
 * always gives the same bytes.
 */
public final class YamlText {
  private YamlText() {}

  /** One document. */
  public static String dump(Object tree) {
    return yaml(false).dump(tree);
  }

  /** Several documents, each introduced by {@code ---}. */
  public static String dumpAll(List<?> trees) {
    return trees.isEmpty() ? "" : yaml(true).dumpAll(trees.iterator());
  }

  private static Yaml yaml(boolean explicitStart) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    o.setIndentWithIndicator(false);
    o.setWidth(Integer.MAX_VALUE);
    o.setSplitLines(false);
    o.setExplicitStart(explicitStart);
    o.setLineBreak(DumperOptions.LineBreak.UNIX);
    return new Yaml(o);
  }
}
