package dev.slipway.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of what a process was started with. Recorded in the registry, so a later control plane
 * adopts a running process only when it would have started exactly the same one; secrets in the
 * environment or config go into the hash, never into the file.
 */
final class Fingerprint {

  private Fingerprint() {}

  static String of(List<String> argv, Map<String, String> env, Path cwd, int port, String extra) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    List<String> parts = new ArrayList<>(argv);
    parts.add("--env");
    new TreeMap<>(env).forEach((k, v) -> parts.add(k + "=" + v));
    parts.addAll(List.of("--cwd", String.valueOf(cwd), "--port", Integer.toString(port), "--extra",
        extra == null ? "" : extra));
    for (String part : parts) {
      // Length-prefixed, so ["a b"] and ["a", "b"] differ.
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
      sha.update(b);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
