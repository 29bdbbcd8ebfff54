package dev.slipway.engine;

import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.store.NewRelease;
import dev.slipway.store.Release;
import dev.slipway.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Makes releases: an artifact plus configuration, recorded once and never changed. */
final class Releases {
  private final EngineContext ctx;

  Releases(EngineContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The release of {@code s} for this artifact and configuration: the current one when nothing
   * differs (and no new label was asked for), else a new one.
   */
  Release ensure(ServiceRuntime s, ArtifactRef artifact, Map<String, String> set, String label, boolean forceNew)
      throws StoreException, dev.slipway.engine.runtime.TargetException {
    ReleaseConfig config = ReleaseConfig.of(s.spec, set).keptApart(ctx.target, ctx.masker);
    String digest = artifact == null ? null : artifact.digest();
    Optional<Release> current = current(s.spec.name());
    if (current.isPresent() && !forceNew && sameContent(current.get(), digest, config)
        && (label == null || label.equals(current.get().version()))) {
      return current.get();
    }
    String version = label != null ? label : artifact != null ? artifact.shortDigest() : shortDigest(config.toJson()
        + (s.buildDigest == null ? "" : s.buildDigest));
    return ctx.store.createRelease(new NewRelease(ctx.environment, s.spec.name(), version, digest, config.toJson(),
        StrategyJson.write(s.spec.strategy()), System.getProperty("user.name", "?") + "@" + host()));
  }

  Optional<Release> current(String service) throws StoreException {
    Optional<String> id = ctx.store.currentRelease(ctx.environment, service);
    return id.isEmpty() ? Optional.empty() : ctx.store.release(ctx.environment, id.get());
  }

  static boolean sameContent(Release r, String digest, ReleaseConfig config) {
    return java.util.Objects.equals(r.artifactDigest(), digest) && ReleaseConfig.fromJson(r.configJson()).equals(config);
  }

  /** The release set for {@code r}: its artifact snapshot must still exist. */
  ReleaseSet set(Release r) throws dev.slipway.engine.runtime.TargetException {
    java.nio.file.Path dir = null;
    if (r.artifactDigest() != null) {
      dir = ctx.target.artifact(r.artifactDigest()).map(ArtifactRef::path).orElseThrow(() ->
          new dev.slipway.engine.runtime.TargetException(r.service(), "the artifact of release " + r.id()
              + " (" + r.artifactDigest().substring(0, 12) + ") is no longer in the artifact store", 
              "deploy a new release instead", java.util.List.of()));
    }
    ReleaseConfig config = ReleaseConfig.fromJson(r.configJson());
    KeptSecrets.registerAll(config.templates().values(), ctx.target, ctx.masker);
    return new ReleaseSet(r, config, dir);
  }

  static String shortDigest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
