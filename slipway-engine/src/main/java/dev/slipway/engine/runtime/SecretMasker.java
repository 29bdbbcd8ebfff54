package dev.slipway.engine.runtime;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces known secret values with {@code ****} in any text shown to a user: logs, status, API
 * responses. Every generated password and resolved secret is registered here as soon as it exists.
 */
public final class SecretMasker {
  public static final String MASK = "****";
  /** Values shorter than this are not masked: they would mangle ordinary text and cannot be secret. */
  private static final int MIN_LENGTH = 4;
  private final List<String> secrets = new CopyOnWriteArrayList<>();

  public void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH && !secrets.contains(secret)) {
      secrets.add(secret);
      // Longest first, so a secret that contains another is masked whole.
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
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
