package dev.slipway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** A template written in the model, checked for undefined references after binding. */
  record TemplateSite(Template template, ScalarNode node, String path) {}

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
  Template template(Node node, String path) {
    String text = Scalars.string(problems, node, path);
    if (text == null) {
      return null;
    }
    ScalarNode scalar = (ScalarNode) node;
    try {
      Template t = Template.parse(text);
      templates.add(new TemplateSite(t, scalar, path));
      return t;
    } catch (Template.TemplateSyntaxException e) {
      problems.error(problems.inScalar(scalar, e.offset()), path, e.getMessage(), e.hint());
      return null;
    }
  }
}
