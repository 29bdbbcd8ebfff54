package dev.slipway.model;

/**
 * GitOps mode of a {@code kubernetes} environment ({@code gitops: { repo, branch, path }}): releases are
 * commits of rendered manifests to this repository, which Argo CD or Flux applies.
 *
 * @param repo   the repository's URL or path, as {@code git clone} takes it
 * @param branch the branch to commit to (default {@code main})
 * @param path   the directory inside the repository for this environment's manifests (default
 *               {@code deploy/ENV})
 */
public record GitOpsSpec(String repo, String branch, String path) {}
