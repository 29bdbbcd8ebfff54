package dev.slipway.api;

import java.util.Map;

/**
 * {@code POST /api/v1/services/NAME/deploy}.
 *
 * @param version  label for the new release (default: a short digest of its artifact)
 * @param set      environment variables of the new release, over the model's {@code env}
 * @param strategy a strategy id ({@code rolling}, {@code blue-green}, {@code canary}) or its model key
 *                 ({@code blueGreen}); null: the model's
 * @param queue    wait for a rollout in progress to finish instead of being refused
 * @param force    make a new release even when artifact and configuration did not change
 */
public record DeployRequest(String version, Map<String, String> set, String strategy, boolean queue, boolean force) {}
