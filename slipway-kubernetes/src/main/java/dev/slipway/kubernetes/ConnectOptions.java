package dev.slipway.kubernetes;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach the cluster and who is asking.
 *
 * @param kubeconfig {@code --kubeconfig}, or null for kubectl's order ({@code KUBECONFIG},
 *                   {@code ~/.kube/config}, the in-cluster service account)
 * @param context    {@code --context}, or null for the environment's {@code context:} (else the current one)
 * @param runner     this runner's identity as Lease holder and in records, e.g. {@code alice@laptop (pid 4242)}
 * @param leaseTtl   how long a Lease lives without renewal (renewed every third of it)
 */
public record ConnectOptions(Path kubeconfig, String context, String runner, Duration leaseTtl) {}
