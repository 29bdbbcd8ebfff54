/**
 * Promotion between environments, as pure functions: whether a release is verified in its source
 * environment, which gates of {@code environments.E.promotion} hold ({@link PromotionGates}), when a
 * promotion window next opens ({@link Windows}) and what configuration a promotion changes
 * ({@link ConfigDiff}). Nothing here reads a clock or does I/O: the caller passes {@code now} and the
 * facts it recorded, so the same inputs always give the same texts.
 */
package dev.slipway.plan.promotion;
