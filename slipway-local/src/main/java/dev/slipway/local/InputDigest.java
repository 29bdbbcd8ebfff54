package dev.slipway.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * SHA-256 over a build's command and its input files: each file's path relative to the base
 * directory (sorted, with '/' separators) and its content. Renaming, adding, removing or editing any
 * input changes the digest; timestamps do not.
 */
final class InputDigest {

  private InputDigest() {}

  /**
   * @throws NoSuchFileException naming the first input that does not exist
   */
  static String of(Path baseDir, String command, List<String> inputs) throws IOException {
    MessageDigest sha = sha256();
    update(sha, "command");
    update(sha, command);
    TreeMap<String, Path> files = new TreeMap<>();
    for (String input : inputs) {
      Path p = baseDir.resolve(input).normalize();
      if (!Files.exists(p)) {
        throw new NoSuchFileException(input);
      }
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(Files::isRegularFile)
            .forEach(f -> files.put(relative(baseDir, f), f));
      }
    }
    byte[] buf = new byte[64 * 1024];
    for (var e : files.entrySet()) {
      update(sha, e.getKey());
      sha.update(longBytes(Files.size(e.getValue())));
      try (InputStream in = Files.newInputStream(e.getValue())) {
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Whether any file under {@code inputs} was modified at or after {@code since} (or cannot be read). */
  static boolean modifiedSince(Path baseDir, List<String> inputs, java.time.Instant since) throws IOException {
    for (String input : inputs) {
      Path p = baseDir.resolve(input).normalize();
      if (!Files.exists(p)) {
        return true;
      }
      try (Stream<Path> walk = Files.walk(p)) {
        if (walk.anyMatch(f -> !modifiedBefore(f, since))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean modifiedBefore(Path f, java.time.Instant since) {
    try {
      return Files.getLastModifiedTime(f).toInstant().isBefore(since);
    } catch (IOException e) {
      return false;
    }
  }

  private static String relative(Path baseDir, Path file) {
    return baseDir.relativize(file).toString().replace('\\', '/');
  }

  private static void update(MessageDigest sha, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    sha.update(longBytes(b.length));
    sha.update(b);
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
