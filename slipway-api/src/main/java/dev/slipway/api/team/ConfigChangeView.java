package dev.slipway.api.team;

/**
 * A configuration key that a promotion adds, changes or removes in the target environment. Secret
 * values are {@code ****}, never clear text.
 *
 * @param change {@code added}, {@code changed}, {@code removed}
 */
public record ConfigChangeView(String service, String key, String change, String before, String after) {}
