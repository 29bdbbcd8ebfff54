package dev.slipway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * State shared by the section binders of one pass: the problems found so far, and what the
 * cross-section checks (references, dependencies, name clashes) need once every section is bound.
 */
final class Binding {
  final Problems problems;
  /** The application name, for defaults such as the database name; a placeholder when invalid. */
  String appName = "app";
  final List<TemplateSite> templates = new ArrayList<>();
  final List<Dependency> dependencies = new ArrayList<>();
  /** Key nodes of every declared service and resource, valid or not, by name. */
  final Map<String, Node> serviceKeys = new LinkedHashMap<>();
  final Map<String, Node> resourceKeys = new LinkedHashMap<>();
  final Map<String, Node> secretKeys = new LinkedHashMap<>();
  /** The type of every resource whose {@code type} could be read, valid otherwise or not. */
  final Map<String, BackingServiceType> resourceTypes = new LinkedHashMap<>();
  /** Every {@code analysis.queries} key written, checked for a prometheus resource after binding. */
  final List<QuerySite> querySites = new ArrayList<>();
  /** The model's top-level map, where fixes add missing sections. */
  YamlMap root;
  /** The {@code services:}, {@code resources:} and {@code secrets:} maps as bound (overlay merged), or null. */
  MappingNode servicesNode;
  MappingNode resourcesNode;
  MappingNode secretsNode;
  /** Every scalar read as a template, valid or not; other text must not hold {@code ${}. */
  final java.util.Set<Node> templateNodes = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Each bound service's map, for checks that look at the service a value belongs to. */
  final Map<String, MappingNode> serviceNodes = new LinkedHashMap<>();

  /**
   * A template written in the model, checked for undefined references after binding.
   *
   * @param service the service whose value it is, or {@code null} (a resource's url)
   */
  record TemplateSite(Template template, ScalarNode node, String path, Field field, String service) {}

  /** The kinds of text that may hold references, and what each may hold. */
  enum Field {
    /** {@code run}: a shell command; references and shell expansions. */
    RUN("`run`", true),
    /** {@code build.command}: a shell command run outside the stack; shell expansions only. */
    BUILD("`build.command`", true),
    /** An {@code env} value: no shell reads it, so references only. */
    ENV("env values", false),
    /** A resource's {@code url}: references only. */
    URL("a resource's `url`", false);

    final String description;
    /** Whether a shell runs the text, so that {@code ${NAME}} means something. */
    final boolean shell;

    Field(String description, boolean shell) {
      this.description = description;
      this.shell = shell;
    }
  }

  /** Where an analysis step's {@code queries:} key was written. */
  record QuerySite(Node key, String path) {}

  /** One {@code dependsOn} entry: {@code from} waits for {@code to}; {@code at} is the entry's node. */
  record Dependency(String from, String to, Node at, String path) {}

  Binding(Problems problems) {
    this.problems = problems;
  }

  /**
   * Parses a scalar as a template, remembering it for the reference checks. A syntax error is
   * reported at the column of the offending {@code $} when the scalar's layout allows it.
   */
  Template template(Node node, String path, Field field, String service) {
    String text = Scalars.string(problems, node, path);
    if (text == null) {
      return null;
    }
    ScalarNode scalar = (ScalarNode) node;
    templateNodes.add(scalar);
    try {
      Template t = Template.parse(text);
      templates.add(new TemplateSite(t, scalar, path, field, service));
      return t;
    } catch (Template.TemplateSyntaxException e) {
      Template.Correction c = e.correction();
      problems.error(problems.inScalar(scalar, e.offset()), path, e.getMessage(), e.hint(),
          c == null ? null : Fixes.replaceInScalar(c.kind(), scalar, c.offset(), c.length(), c.text()));
      return null;
    }
  }
}
