package dev.slipway.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The change to the model file that a {@link ModelError}'s hint describes, for tools to apply: only
 * errors whose hint names one concrete edit carry one ("did you mean `health`?", "add `dev: { target:
 * local }`"); a hint with a placeholder or a choice between edits does not. Applied, the fix removes
 * its error without causing another (tested for every {@link Kind}).
 *
 * @param kind  which check produced it; stable, one per place in the loader that suggests an edit
 * @param edits the text replacements, in any order; they never overlap
 */
public record ModelFix(Kind kind, List<Edit> edits) {

  public ModelFix {
    edits = List.copyOf(edits);
  }

  /** One fix: a single edit. */
  static ModelFix of(Kind kind, Edit edit) {
    return edit == null ? null : new ModelFix(kind, List.of(edit));
  }

  /**
   * Replaces the text from {@code start} to {@code end} (exclusive) with {@code text}. Offsets count
   * code points from the start of the file, after a byte order mark if there is one (as SnakeYAML's
   * marks do).
   */
  public record Edit(int start, int end, String text) {
    public Edit {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad edit range " + start + ".." + end);
      }
    }
  }

  /** The places in the loader that suggest a concrete edit; the id is stable (tests and tools use it). */
  public enum Kind {
    /** An unknown key that is a typo of a valid one. */
    KEY("key"),
    /** An unknown value of a fixed set (`target`, `type`, `provider`, a dependency condition). */
    VALUE("value"),
    /** A misspelt reference namespace: `${resource.db.url}`. */
    REFERENCE_NAMESPACE("reference-namespace"),
    /** A misspelt reference attribute: `${resources.db.jdbcURL}`. */
    REFERENCE_ATTRIBUTE("reference-attribute"),
    /** A reference to a misspelt resource, service or secret name. */
    REFERENCE_NAME("reference-name"),
    /** A reference to a secret the model does not declare: declare it, read from the environment. */
    SECRET_DECLARE("secret-declare"),
    /** A reference to a service without a port: give it one. */
    SERVICE_PORT("service-port"),
    /** `ingress` on a service without a port: give it one. */
    INGRESS_PORT("ingress-port"),
    /** `${self.port}` in a service without a port: give it one. */
    SELF_NEEDS_PORT("self-needs-port"),
    /** `${PORT}` (or `${SERVER_PORT}`…) where no shell expands it: `${self.port}`. */
    SELF_PORT("self-port"),
    /** `${STRIPE_KEY}` where a declared secret reads STRIPE_KEY: `${secrets.stripe}`. */
    SECRET_REFERENCE("secret-reference"),
    /** A misspelt name in `dependsOn`. */
    DEPENDENCY("dependency"),
    /** A misspelt service or resource name in an environment's overlay. */
    OVERLAY_NAME("overlay-name"),
    /** A model with environments but no `dev`, which commands use by default: add it, local. */
    ENVIRONMENT_DEV("environment-dev"),
    /** A model without environments, asked for one by name: declare it. */
    ENVIRONMENT_ADD("environment-add"),
    /** `dev` (what `slipway up` runs by default) targets a cluster: make it local. */
    TARGET_LOCAL("target-local"),
    /** A duration without a unit: `30` → `30s`. */
    DURATION_UNIT("duration-unit"),
    /** A number in quotes: `"8080"` → `8080`. */
    UNQUOTE_NUMBER("unquote-number"),
    /** A URL path without its leading slash. */
    PATH_SLASH("path-slash"),
    /** A misspelt `{{placeholder}}` in an analysis query. */
    PLACEHOLDER("placeholder"),
    /** A query bound written as a percentage: `2.5%` → `0.025`. */
    QUERY_PERCENT("query-percent"),
    /** A secret source written as a bare variable name: `STRIPE_KEY` → `env:STRIPE_KEY`. */
    SECRET_SOURCE("secret-source"),
    /** An unquoted `${…}` inside `{ }` or `[ ]`, which YAML cannot parse: quote it. */
    QUOTE_REFERENCE("quote-reference"),
    /** An env variable written without a value: `NAME: ""`. */
    ENV_EMPTY("env-empty"),
    /** Analysis queries without a `prometheus` resource: add one. */
    PROMETHEUS("prometheus"),
    /** A strategy written as a word: `strategy: rolling` → `strategy: { rolling: {} }`. */
    STRATEGY_SHAPE("strategy-shape"),
    /** An invalid name that nothing else in the file refers to: the valid form of it. */
    NAME("name");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** {@code text} with this fix applied. */
  public String applyTo(String text) {
    return applyAll(text, List.of(this));
  }

  /**
   * {@code text} with every fix applied. Identical edits (one value reached through several aliases)
   * are made once; an edit overlapping one already taken is skipped, so the result is always a
   * well-defined text (run the loader again to see what is left).
   */
  public static String applyAll(String text, Collection<ModelFix> fixes) {
    boolean bom = text.startsWith("\uFEFF");
    String body = bom ? text.substring(1) : text;
    Set<Edit> unique = new LinkedHashSet<>();
    fixes.forEach(f -> unique.addAll(f.edits()));
    List<Edit> sorted = new ArrayList<>(unique);
    sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
    List<Edit> taken = new ArrayList<>();
    int reached = -1;
    for (Edit e : sorted) {
      if (e.start() >= reached) {
        taken.add(e);
        reached = Math.max(reached, e.end());
      }
    }
    int points = body.codePointCount(0, body.length());
    StringBuilder out = new StringBuilder(body);
    for (int i = taken.size() - 1; i >= 0; i--) {
      Edit e = taken.get(i);
      if (e.end() > points) {
        continue;
      }
      int from = body.offsetByCodePoints(0, e.start());
      int to = body.offsetByCodePoints(0, e.end());
      out.replace(from, to, e.text());
    }
    return (bom ? "\uFEFF" : "") + out;
  }
}
