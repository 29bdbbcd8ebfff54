package dev.slipway.api;

/**
 * What a control plane that stopped acting without stopping anything (a failed take-over, a lost
 * lease) leaves in {@code .slipway/run/detached.json}, so that {@code slipway status} can say that
 * the stack still runs, unmanaged, and why. Deleted by the next control plane and by clean-up.
 *
 * @param pid    the control plane that stopped acting
 * @param at     when, ISO-8601
 * @param reason why, as its last event said
 */
public record DetachedNote(long pid, String at, String reason) {}
