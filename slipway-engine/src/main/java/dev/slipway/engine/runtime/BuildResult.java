package dev.slipway.engine.runtime;

import java.time.Duration;

/**
 * What a build did.
 *
 * @param service the service built
 * @param ran     whether the command ran ({@code false}: inputs unchanged, skipped)
 * @param digest  SHA-256 (hex) of the build inputs; its first 12 characters label the version
 * @param took    how long the build took (zero when skipped)
 * @param reason  why it ran or was skipped, for the progress output
 */
public record BuildResult(String service, boolean ran, String digest, Duration took, String reason) {
  /** The short version label derived from the input digest. */
  public String version() {
    return digest.length() > 12 ? digest.substring(0, 12) : digest;
  }
}
