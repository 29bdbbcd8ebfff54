package dev.slipway.model;

import java.util.Locale;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Rules for names the user chooses, and their error messages. */
final class Names {
  /** Services, resources, environments and the app itself become host names and Kubernetes names. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Secret names appear in {@code ${secrets.NAME}}, so no dots. */
  static final Pattern SECRET = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  static final Pattern HOST = Pattern.compile(
      "(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  /** Names for a hint: backticked, comma-separated, at most ten. */
  static String list(java.util.Collection<String> names) {
    java.util.List<String> shown = names.stream().limit(10).map(n -> "`" + Scalars.abbreviate(n) + "`").toList();
    return String.join(", ", shown) + (names.size() > 10 ? ", …" : "");
  }

  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** Checks a DNS-label name; {@code what} is e.g. "service name". Returns whether it is valid. */
  static boolean checkDnsLabel(Problems p, Node at, String path, String what, String name) {
    return checkDnsLabel(p, at, path, what, name, null);
  }

  /**
   * {@link #checkDnsLabel(Problems, Node, String, String, String)} for a name nothing else in the
   * file refers to, so that writing the suggested form is a fix.
   *
   * @param taken the names the suggested form must not collide with (its siblings), or {@code null}
   *              when other parts of the file refer to this name (renaming it alone breaks them)
   */
  static boolean checkDnsLabel(Problems p, Node at, String path, String what, String name,
      java.util.Set<String> taken) {
    if (isDnsLabel(name)) {
      return true;
    }
    String fixed = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (fixed.length() > 63) {
      fixed = fixed.substring(0, 63).replaceAll("-+$", "");
    }
    p.error(at, path, "invalid " + what + " `" + Scalars.abbreviate(name) + "`",
        "use lowercase letters, digits and `-`, at most 63 characters"
            + (isDnsLabel(fixed) ? ", e.g. `" + fixed + "`" : ""),
        isDnsLabel(fixed) && taken != null && !taken.contains(fixed) ? Fixes.replace(ModelFix.Kind.NAME, at, fixed) : null);
    return false;
  }
}
