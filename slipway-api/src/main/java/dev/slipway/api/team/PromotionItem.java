package dev.slipway.api.team;

/**
 * One service of a promotion: the verified release in the source and what the target runs now.
 *
 * @param image        the exact image (digest) promoted, never rebuilt
 * @param targetImage  what the target runs now, or null when the service is new there
 */
public record PromotionItem(String service, String fromRelease, String image, String targetRelease,
    String targetImage) {}
