package dev.slipway.api.team;

import java.util.List;

/**
 * {@code slipway promote --to ENV [--services a,b]}: promote what is verified in ENV's
 * {@code promotion.from}. {@code services} null or empty: every service verified there that differs.
 */
public record PromotionRequest(String to, List<String> services, String reason, boolean overrideFreeze) {}
