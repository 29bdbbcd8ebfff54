package dev.slipway.model;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code environments.E.promotion} and {@code environments.E.protected}: where an environment's
 * releases come from and the gates before them ({@link PromotionSpec}). What spans environments
 * ({@code from} names another one, no cycles) is checked by {@link #checkChains} once all are bound.
 */
final class PromotionBinder {
  private static final String EXAMPLE = "promotion: { from: staging, soak: 1h, approvals: 1, approvers: [release] }";
  private static final String WINDOW_EXAMPLE = "window: { days: Mon-Thu, hours: \"09:00-16:00\", timezone: Europe/Berlin }";
  private static final Pattern HOURS = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
  private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");

  private PromotionBinder() {}

  /** The environment's promotion, or null when absent or wrong (reported); records its {@code from} node. */
  static PromotionSpec promotion(Problems p, YamlMap env, String environment, Set<String> environments,
      Map<String, Node> froms) {
    YamlMap m = env.map("promotion", ModelKeys.PROMOTION, "write e.g. `" + EXAMPLE + "`");
    if (m == null) {
      return null;
    }
    String from = from(p, m, environment, environments);
    if (from != null) {
      froms.put(environment, m.get("from"));
    }
    Duration soak = m.get("soak") == null ? Duration.ZERO : m.duration("soak", false);
    Integer approvals = m.get("approvals") == null ? Integer.valueOf(0)
        : m.integer("approvals", 0, 100, "write how many approvals it needs, e.g. `approvals: 1` (0: none)");
    List<String> approvers = approvers(p, m, approvals);
    WindowSpec window = m.get("window") == null ? null : window(p, m);
    boolean broken = from == null || soak == null || approvals == null || (m.get("approvers") != null && approvers == null)
        || (m.get("window") != null && window == null);
    return broken ? null : new PromotionSpec(from, soak, approvals, approvers, window);
  }

  /** {@code protected: true|false}; true needs a promotion, else nothing could ever reach the environment. */
  static boolean isProtected(Problems p, YamlMap env, String environment) {
    if (env.get("protected") == null) {
      return false;
    }
    Boolean value = Scalars.bool(p, env.get("protected"), env.path("protected"));
    if (Boolean.TRUE.equals(value) && env.get("promotion") == null) {
      p.error(env.keyNode("protected"), env.path("protected"), "`protected: true` refuses direct deploys, but "
              + "nothing is promoted into `" + environment + "`",
          "add e.g. `promotion: { from: staging }` so releases reach it, or remove `protected:`");
    }
    return Boolean.TRUE.equals(value);
  }

  private static String from(Problems p, YamlMap m, String environment, Set<String> environments) {
    Node n = m.require("from", "add `from: staging`, the environment whose verified releases are promoted here");
    String from = n == null ? null : Scalars.string(p, n, m.path("from"));
    if (from == null) {
      return null;
    }
    List<String> others = environments.stream().filter(e -> !e.equals(environment)).toList();
    if (from.equals(environment)) {
      p.error(n, m.path("from"), "`" + environment + "` cannot be promoted from itself",
          others.isEmpty() ? "declare the environment its releases come from, e.g. `staging:`, and name it here"
              : "name the environment its releases come from: " + Names.list(others));
      return null;
    }
    if (!environments.contains(from)) {
      String close = Suggest.closest(from, others);
      p.error(n, m.path("from"), "unknown environment `" + Scalars.abbreviate(from) + "`",
          close != null ? "did you mean `" + close + "`?"
              : others.isEmpty() ? "declare the environment its releases come from under `environments:`"
                  : "name one of the environments: " + Names.list(others),
          close != null ? Fixes.replace(ModelFix.Kind.VALUE, n, close) : null);
      return null;
    }
    return from;
  }

  private static List<String> approvers(Problems p, YamlMap m, Integer approvals) {
    if (m.get("approvers") == null) {
      return null;
    }
    List<String> roles = m.strings("approvers");
    if (roles == null) {
      return null;
    }
    Node n = m.get("approvers");
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).isBlank()) {
        p.error(((SequenceNode) n).getValue().get(i), YamlMap.item(m.path("approvers"), i), "the role name is empty",
            "write a role, e.g. `release`");
        return null;
      }
    }
    if (roles.isEmpty() && approvals != null && approvals > 0) {
      p.error(n, m.path("approvers"), "no role may approve, but `approvals: " + approvals + "` needs "
          + (approvals == 1 ? "one approval" : approvals + " approvals"),
          "list the roles that may approve, e.g. `approvers: [release]`, or write `approvals: 0`");
      return null;
    }
    return List.copyOf(new java.util.LinkedHashSet<>(roles));
  }

  private static WindowSpec window(Problems p, YamlMap m) {
    Node node = m.get("window");
    if (node instanceof MappingNode map) {
      node = withoutDaysReadAsKeys(p, map, m.path("window"));
    }
    YamlMap w = YamlMap.of(p, node, m.path("window"), m.keyLocation("window"), ModelKeys.WINDOW,
        "write e.g. `" + WINDOW_EXAMPLE + "`");
    if (w == null) {
      return null;
    }
    Set<DayOfWeek> days = w.get("days") == null ? EnumSet.allOf(DayOfWeek.class) : days(p, w);
    Node h = w.require("hours", "add `hours: \"09:00-16:00\"`, when the window opens and closes");
    LocalTime[] hours = h == null ? null : hours(p, h, w.path("hours"));
    Node z = w.require("timezone", "add `timezone: Europe/Berlin` (an IANA time zone; `UTC` works too)");
    ZoneId zone = z == null ? null : zone(p, z, w.path("timezone"));
    return days == null || hours == null || zone == null ? null : new WindowSpec(days, hours[0], hours[1], zone);
  }

  /**
   * Inside {@code { }} a comma ends a value, so {@code { days: Mon,Wed,Fri }} reads as {@code days: Mon}
   * and the keys {@code Wed} and {@code Fri}: one error that says to quote them, instead of an unknown
   * key per day.
   */
  private static MappingNode withoutDaysReadAsKeys(Problems p, MappingNode map, String path) {
    List<NodeTuple> kept = new ArrayList<>();
    List<String> strays = new ArrayList<>();
    Node first = null;
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && Scalars.isNull(t.getValueNode()) && isDay(k.getValue())) {
        strays.add(k.getValue());
        first = first == null ? k : first;
      } else {
        kept.add(t);
      }
    }
    if (strays.isEmpty()) {
      return map;
    }
    List<String> days = new ArrayList<>();
    kept.stream().filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("days")
        && t.getValueNode() instanceof ScalarNode v && !Scalars.isNull(v))
        .forEach(t -> days.add(((ScalarNode) t.getValueNode()).getValue()));
    days.addAll(strays);
    p.error(first, YamlMap.child(path, "days"), "`" + String.join("`, `", strays) + "` read as keys: inside `{ }` a "
            + "comma ends the value of `days`", "quote the days, e.g. `days: \"" + String.join(",", days)
            + "\"`, or write a list `days: [" + String.join(", ", days) + "]`");
    return new MappingNode(map.getTag(), true, kept, map.getStartMark(), map.getEndMark(), map.getFlowStyle());
  }

  private static boolean isDay(String word) {
    String w = word.strip();
    int dash = w.indexOf('-');
    return dash < 0 ? dayOf(w) != null : dayOf(w.substring(0, dash).strip()) != null
        && dayOf(w.substring(dash + 1).strip()) != null;
  }

  private static DayOfWeek dayOf(String word) {
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = d.name().toLowerCase(java.util.Locale.ROOT);
      if (word.equalsIgnoreCase(full) || word.equalsIgnoreCase(full.substring(0, 3))) {
        return d;
      }
    }
    return null;
  }

  /** {@code Mon-Thu}, {@code Mon,Wed,Fri}, or a list of days or ranges. */
  private static Set<DayOfWeek> days(Problems p, YamlMap w) {
    Node n = w.get("days");
    List<Node> items = n instanceof SequenceNode s ? s.getValue() : List.of(n);
    if (items.isEmpty()) {
      p.error(n, w.path("days"), "the list of days is empty", "write e.g. `days: Mon-Fri`, or remove `days:` for every day");
      return null;
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      String path = n instanceof SequenceNode ? YamlMap.item(w.path("days"), i) : w.path("days");
      String text = Scalars.string(p, items.get(i), path);
      if (text == null) {
        ok = false;
        continue;
      }
      for (String part : text.split(",", -1)) {
        ok &= addDays(p, (ScalarNode) items.get(i), path, part.strip(), days);
      }
    }
    return ok ? days : null;
  }

  private static boolean addDays(Problems p, ScalarNode n, String path, String part, Set<DayOfWeek> days) {
    String[] ends = part.split("-", -1);
    if (part.isEmpty() || ends.length > 2) {
      p.error(n, path, "expected days like `Mon-Thu` or `Mon,Wed,Fri`, found " + Scalars.describe(n),
          "write a range `Mon-Thu`, days `Mon,Wed,Fri`, or a list `[Mon, Wed]`");
      return false;
    }
    DayOfWeek first = day(p, n, path, ends[0].strip());
    DayOfWeek last = ends.length == 1 ? first : day(p, n, path, ends[1].strip());
    if (first == null || last == null) {
      return false;
    }
    for (DayOfWeek d = first; ; d = d.plus(1)) { // a range may wrap the week: Fri-Mon
      days.add(d);
      if (d == last) {
        return true;
      }
    }
  }

  private static DayOfWeek day(Problems p, ScalarNode n, String path, String word) {
    DayOfWeek d = dayOf(word);
    if (d != null) {
      return d;
    }
    String close = Suggest.closest(word, DAYS);
    p.error(n, path, "unknown day `" + Scalars.abbreviate(word) + "`",
        close != null ? "did you mean `" + close + "`?" : "use Mon, Tue, Wed, Thu, Fri, Sat or Sun");
    return null;
  }

  /** {@code "HH:MM-HH:MM"}, closing after opening; {@code 24:00} closes at the end of the day. */
  private static LocalTime[] hours(Problems p, Node n, String path) {
    String text = Scalars.string(p, n, path);
    if (text == null) {
      return null;
    }
    Matcher matcher = HOURS.matcher(text.strip());
    String hint = "write `\"HH:MM-HH:MM\"` in 24-hour time, e.g. `hours: \"09:00-16:00\"`";
    if (!matcher.matches()) {
      p.error(n, path, "expected hours like `\"09:00-16:00\"`, found " + Scalars.describe(n), hint);
      return null;
    }
    LocalTime opens = time(matcher.group(1), matcher.group(2), false);
    LocalTime closes = time(matcher.group(3), matcher.group(4), true);
    if (opens == null || closes == null) {
      p.error(n, path, "`" + Scalars.abbreviate(text.strip()) + "` is not a time of day", hint + " (00:00 to 24:00)");
      return null;
    }
    if (!closes.isAfter(opens)) {
      p.error(n, path, "the window closes at " + matcher.group(3) + ":" + matcher.group(4) + ", "
              + (closes.equals(opens) ? "when" : "before") + " it opens",
          "write hours within one day, closing after opening, e.g. `\"09:00-16:00\"`; overnight windows "
              + "(e.g. `22:00-02:00`) are not supported yet");
      return null;
    }
    return new LocalTime[] {opens, closes};
  }

  private static LocalTime time(String hour, String minute, boolean closing) {
    int h = Integer.parseInt(hour);
    int m = Integer.parseInt(minute);
    if (closing && h == 24 && m == 0) {
      return LocalTime.MAX;
    }
    return h <= 23 && m <= 59 ? LocalTime.of(h, m) : null;
  }

  private static ZoneId zone(Problems p, Node n, String path) {
    String text = Scalars.string(p, n, path);
    if (text == null) {
      return null;
    }
    String t = text.strip();
    // region ids only: an offset (`+01:00`) would ignore daylight saving time, which a window must follow
    if (ZoneId.getAvailableZoneIds().contains(t)) {
      return ZoneId.of(t);
    }
    String close = Suggest.closest(t, ZoneId.getAvailableZoneIds().stream().sorted().toList());
    p.error(n, path, "unknown time zone `" + Scalars.abbreviate(t) + "`",
        close != null ? "did you mean `" + close + "`?" : "write an IANA time zone, e.g. `Europe/Berlin`, "
            + "`America/New_York` or `UTC`",
        close != null ? Fixes.replace(ModelFix.Kind.VALUE, n, close) : null);
    return null;
  }

  /** Reports each promotion cycle once, at the {@code from} of its first environment in file order. */
  static void checkChains(Problems p, Map<String, Node> froms, java.util.Collection<String> order) {
    Map<String, String> fromNames = new LinkedHashMap<>();
    froms.forEach((env, node) -> fromNames.put(env, ((ScalarNode) node).getValue()));
    Set<String> reported = new java.util.HashSet<>();
    for (String start : order) {
      if (!fromNames.containsKey(start) || reported.contains(start)) {
        continue;
      }
      Map<String, Boolean> seen = new LinkedHashMap<>();
      String at = start;
      while (at != null && !seen.containsKey(at)) {
        seen.put(at, true);
        at = fromNames.get(at);
      }
      if (at == null || !at.equals(start)) {
        continue; // the chain ends, or runs into a cycle reported from one of its own members
      }
      List<String> cycle = new ArrayList<>(seen.keySet());
      reported.addAll(cycle);
      cycle.add(start);
      java.util.Collections.reverse(cycle); // in the direction releases flow
      p.error(froms.get(start), "environments." + start + ".promotion.from", "promotion cycle: "
              + String.join(" → ", cycle),
          "remove `promotion:` from one of them; a chain of promotions starts at an environment that takes "
              + "direct deploys");
    }
  }
}
