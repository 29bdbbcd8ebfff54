package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.engine.runtime.SecretMasker;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.TreeMap;

/**
 * Generated passwords in {@code secrets.json} (mode 0600): created once, the same on every run, so
 * data directories keep working. Each value is registered with the masker as soon as it is read.
 * Written durably; a file that exists but is empty or garbled is an error (see {@link JsonFiles#readExisting}).
 */
final class Secrets {

  private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {};
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path file;
  private final SecretMasker masker;

  Secrets(Path file, SecretMasker masker) {
    this.file = file;
    this.masker = masker;
  }

  String getOrCreate(String key) throws IOException {
    // A damaged file is an error, never "no passwords yet": new ones would lock the data out.
    String value = JsonFiles.updateExisting(file, TYPE, TreeMap::new, map -> {
      map.computeIfAbsent(key, k -> generate());
      return map;
    }).get(key);
    masker.register(value);
    return value;
  }

  /** 24 random bytes as 32 URL-safe characters: no quoting needed in URLs, SQL or config files. */
  static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
