package dev.slipway.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What image detection needs from a {@code pom.xml}, read as plain XML (no Maven, no inheritance
 * resolution): coordinates, packaging, modules, properties and which plugins it names.
 *
 * @param groupId    the project's, else its parent's; may hold {@code ${…}}
 * @param parent     {@code groupId:artifactId:version} of the parent, or null
 * @param plugins    artifactIds of every {@code <plugin>} anywhere in the build, with their version
 *                   (null when not written)
 * @param compilerRelease the compiler plugin's {@code <release>}, or null
 */
record PomFile(String groupId, String artifactId, String packaging, String parent, List<String> modules,
    Map<String, String> properties, Map<String, String> plugins, String compilerRelease) {

  /** The pom at {@code file}, or empty when there is none or it is not well-formed XML. */
  static Optional<PomFile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file);
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      // A pom never needs a DTD; refusing them rules out external entities.
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      Document doc = f.newDocumentBuilder().parse(file.toFile());
      Element project = doc.getDocumentElement();
      Element parentEl = child(project, "parent");
      String parent = parentEl == null ? null
          : text(parentEl, "groupId") + ":" + text(parentEl, "artifactId") + ":" + text(parentEl, "version");
      String groupId = text(project, "groupId");
      if (groupId == null && parentEl != null) {
        groupId = text(parentEl, "groupId");
      }
      List<String> modules = new ArrayList<>();
      Element mods = child(project, "modules");
      if (mods != null) {
        for (Element m : children(mods, "module")) {
          modules.add(m.getTextContent().strip());
        }
      }
      Map<String, String> properties = new LinkedHashMap<>();
      Element props = child(project, "properties");
      if (props != null) {
        for (Element p : children(props, null)) {
          properties.put(p.getTagName(), p.getTextContent().strip());
        }
      }
      Map<String, String> plugins = new LinkedHashMap<>();
      String release = null;
      var list = doc.getElementsByTagName("plugin");
      for (int i = 0; i < list.getLength(); i++) {
        Element p = (Element) list.item(i);
        String id = text(p, "artifactId");
        if (id != null) {
          plugins.putIfAbsent(id, text(p, "version"));
          if (id.equals("maven-compiler-plugin") && child(p, "configuration") != null) {
            release = text(child(p, "configuration"), "release");
          }
        }
      }
      String packaging = text(project, "packaging");
      return Optional.of(new PomFile(groupId, text(project, "artifactId"), packaging == null ? "jar" : packaging,
          parent, List.copyOf(modules), Map.copyOf(properties), plugins, release));
    } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code groupId:artifactId}, or null when either is missing or an unresolved {@code ${…}}. */
  String coordinates() {
    if (groupId == null || artifactId == null || groupId.contains("${") || artifactId.contains("${")) {
      return null;
    }
    return groupId + ":" + artifactId;
  }

  /**
   * The Java release it compiles for: {@code maven.compiler.release}, the compiler plugin's
   * {@code release}, {@code maven.compiler.target} or Spring Boot's {@code java.version}; 0 if none.
   */
  int javaRelease() {
    for (String v : new String[] {properties.get("maven.compiler.release"), compilerRelease,
        properties.get("maven.compiler.target"), properties.get("java.version")}) {
      int n = JavaVersions.major(v);
      if (n > 0) {
        return n;
      }
    }
    return 0;
  }

  /**
   * The Spring Boot version when the pom repackages with {@code spring-boot-maven-plugin}: the plugin's
   * version, else the Boot parent's, else {@code spring-boot.version}; {@code ""} when none of them says.
   * Null without the plugin (a Boot parent alone does not make an executable jar).
   */
  String springBootVersion() {
    if (!plugins.containsKey("spring-boot-maven-plugin")) {
      return null;
    }
    String v = plugins.get("spring-boot-maven-plugin");
    if (v == null) {
      v = bootParentVersion() != null ? bootParentVersion() : "${spring-boot.version}";
    }
    if (v.startsWith("${") && v.endsWith("}")) {
      v = properties.getOrDefault(v.substring(2, v.length() - 1), "");
    }
    return v;
  }

  /** The version of {@code spring-boot-starter-parent} when it is the parent, else null. */
  String bootParentVersion() {
    String prefix = "org.springframework.boot:spring-boot-starter-parent:";
    return parent != null && parent.startsWith(prefix) ? parent.substring(prefix.length()) : null;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().strip();
  }
}
