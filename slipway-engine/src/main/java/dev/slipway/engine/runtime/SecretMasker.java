package dev.slipway.engine.runtime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Replaces known secret values with {@code ****} in any text shown to a user: logs, status, API
 * responses, events, stored event details. Every generated password, resolved secret and literal
 * value of a secret-named variable is registered here as soon as it exists, together with the forms
 * it takes when written into a URL, a JSON string or base64 (see docs/decisions/0017).
 */
public final class SecretMasker {
  public static final String MASK = "****";
  /** Values shorter than this are not masked: they would mangle ordinary text and cannot be secret. */
  private static final int MIN_LENGTH = 4;
  private final ReentrantLock lock = new ReentrantLock();
  // Replaced whole under the lock, read without it: mask() runs on every log line.
  private volatile List<String> secrets = List.of();

  public void register(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH || secrets.contains(secret)) {
      return;
    }
    lock.lock();
    try {
      List<String> all = new ArrayList<>(secrets);
      for (String form : forms(secret)) {
        if (!all.contains(form)) {
          all.add(form);
        }
      }
      // Longest first, so a secret that contains another is masked whole.
      all.sort(Comparator.comparingInt(String::length).reversed());
      secrets = List.copyOf(all);
    } finally {
      lock.unlock();
    }
  }

  /** The secret and how it reads percent-encoded (both flavours), JSON-escaped and in base64. */
  static Set<String> forms(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(url);
    forms.add(url.replace("+", "%20"));
    forms.add(url.replace("%2F", "/").replace("+", "%20")); // a path segment leaves '/' alone
    forms.add(jsonEscaped(secret));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    forms.removeIf(f -> f.length() < MIN_LENGTH);
    return forms;
  }

  private static String jsonEscaped(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }
}
