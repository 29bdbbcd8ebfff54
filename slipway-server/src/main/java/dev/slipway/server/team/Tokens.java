package dev.slipway.server.team;

import dev.slipway.api.team.AuditChain;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer tokens: {@code slw_} and 32 random bytes, base64url. Only their SHA-256 is stored: with 256 bits
 * of entropy there is nothing to guess, so a slow password hash would buy nothing.
 */
final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  static String create() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "slw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String token) {
    return AuditChain.sha256(token);
  }
}
