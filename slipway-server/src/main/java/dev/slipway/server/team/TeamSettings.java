package dev.slipway.server.team;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the team server was started ({@code slipway server …}).
 *
 * @param modelFile    the {@code -f} file, read afresh on every action
 * @param dataDir      {@code --data}: the embedded store, {@code admin-token}, {@code audit-key}, {@code server.json}, previews
 * @param kubeconfig   {@code --kubeconfig}, or null for kubectl's order
 * @param context      {@code --context}, or null for each environment's own
 * @param previewQuota {@code --preview-quota}: how many previews the server keeps at once
 * @param leaseTtl     how long a cluster Lease the server holds lives without renewal
 * @param queue        how long a run waits for another runner's Lease on a service before it fails
 */
public record TeamSettings(Path modelFile, Path dataDir, Path kubeconfig, String context, int previewQuota,
    Duration leaseTtl, Duration queue) {

  public static final int DEFAULT_PREVIEW_QUOTA = 5;

  public Path previewsDir() {
    return dataDir.resolve("previews");
  }
}
