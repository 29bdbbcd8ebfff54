package dev.slipway.plan.promotion;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Small pieces of gate texts. */
final class Texts {
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private Texts() {}

  /** An instant in UTC, to the minute unless it has seconds: {@code 2026-12-24T00:00Z}. */
  static String instant(Instant t) {
    return (t.getEpochSecond() % 60 == 0 ? MINUTES : SECONDS).format(t);
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String alternatives(List<String> words) {
    return join(words, " or ");
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  static String all(List<String> words) {
    return join(words, " and ");
  }

  private static String join(List<String> words, String last) {
    if (words.size() <= 1) {
      return String.join("", words);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + last + words.get(words.size() - 1);
  }

  static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
