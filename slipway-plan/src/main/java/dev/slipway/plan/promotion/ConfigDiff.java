package dev.slipway.plan.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The configuration keys a promotion adds, changes or removes in its target. Secret values are
 * replaced by {@link #MASK} before they reach a {@link Change}, so no caller can print one by mistake:
 * a changed secret reads {@code **** → ****}, telling that it changed and nothing about either value.
 */
public final class ConfigDiff {
  /** What a secret value is shown as. */
  public static final String MASK = "****";
  public static final String ADDED = "added";
  public static final String CHANGED = "changed";
  public static final String REMOVED = "removed";

  private ConfigDiff() {}

  /**
   * One key's change.
   *
   * @param kind   {@link #ADDED}, {@link #CHANGED} or {@link #REMOVED}
   * @param before the value before ({@link #MASK} for a secret), null when added
   * @param after  the value after ({@link #MASK} for a secret), null when removed
   */
  public record Change(String key, String kind, String before, String after) {
    /** One line for a person: {@code KEY: before → after}, {@code KEY added: v}, {@code KEY removed (was v)}. */
    public String text() {
      return switch (kind) {
        case ADDED -> key + " added: " + after;
        case REMOVED -> key + " removed (was " + before + ")";
        default -> key + ": " + before + " → " + after;
      };
    }
  }

  /**
   * The changes from {@code before} to {@code after}, by key.
   *
   * @param isSecretKey whether a key's value is a secret (masked in every change)
   */
  public static List<Change> of(Map<String, String> before, Map<String, String> after, Predicate<String> isSecretKey) {
    Map<String, String> b = before == null ? Map.of() : before;
    Map<String, String> a = after == null ? Map.of() : after;
    TreeSet<String> keys = new TreeSet<>(b.keySet());
    keys.addAll(a.keySet());
    List<Change> changes = new ArrayList<>();
    for (String key : keys) {
      boolean wasSet = b.containsKey(key);
      boolean isSet = a.containsKey(key);
      if (wasSet && isSet && Objects.equals(b.get(key), a.get(key))) {
        continue;
      }
      boolean secret = isSecretKey.test(key);
      String was = wasSet ? (secret ? MASK : b.get(key)) : null;
      String is = isSet ? (secret ? MASK : a.get(key)) : null;
      changes.add(new Change(key, !wasSet ? ADDED : !isSet ? REMOVED : CHANGED, was, is));
    }
    return changes;
  }
}
