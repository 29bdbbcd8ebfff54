package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.engine.runtime.SecretMasker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.TreeMap;

/**
 * Generated passwords and the literal secrets of releases ({@link #keep}) in {@code secrets.json} (mode 0600): created once, the same on every run, so
 * data directories keep working. Each value is registered with the masker as soon as it is read.
 * Written durably; a file that exists but is empty or garbled is an error (see {@link JsonFiles#readExisting}).
 */
final class Secrets {

  private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {};
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SEALING_KEY = "kept-secrets.key";
  private static final String KEPT = "kept.";
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

  /**
   * Keeps a literal secret of a release ({@code --set API_TOKEN=…}) and returns its id: an HMAC of
   * the value under a key generated once, so equal values get equal ids (an unchanged configuration
   * stays the same release) while the id, stored in the state store, does not let anyone test
   * guesses of the value.
   */
  String keep(String value) throws IOException {
    String id = id(getOrCreate(SEALING_KEY), value);
    JsonFiles.updateExisting(file, TYPE, TreeMap::new, map -> {
      map.put(KEPT + id, value);
      return map;
    });
    masker.register(value);
    return id;
  }

  /**
   * Registers every value of the store with the masker: the logs of earlier releases, which this
   * control plane may never start, can show any of them.
   */
  void registerAll() throws IOException {
    JsonFiles.readExisting(file, TYPE, TreeMap::new).values().forEach(masker::register);
  }

  /** The value kept under {@code id}, if this store holds it. */
  Optional<String> kept(String id) throws IOException {
    String value = JsonFiles.readExisting(file, TYPE, TreeMap::new).get(KEPT + id);
    masker.register(value);
    return Optional.ofNullable(value);
  }

  private static String id(String key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** 24 random bytes as 32 URL-safe characters: no quoting needed in URLs, SQL or config files. */
  static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
