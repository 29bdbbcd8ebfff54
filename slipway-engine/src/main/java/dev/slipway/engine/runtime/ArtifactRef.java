package dev.slipway.engine.runtime;

import java.nio.file.Path;

/**
 * A snapshot of a service's build outputs in the content-addressed artifact store.
 *
 * @param digest SHA-256 (hex) over the outputs' relative paths and contents
 * @param path   the read-only directory holding the outputs at their relative paths; instances of a
 *               release run with it as their working directory
 */
public record ArtifactRef(String digest, Path path) {
  public String shortDigest() {
    return digest.substring(0, Math.min(12, digest.length()));
  }
}
