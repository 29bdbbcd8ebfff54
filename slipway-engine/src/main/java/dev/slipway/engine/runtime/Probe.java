package dev.slipway.engine.runtime;

/**
 * What one health check of an instance saw.
 *
 * @param healthy whether it passed (an HTTP check: a 2xx answer in time)
 * @param detail  a short reason, e.g. "HTTP 200", "connection refused" or "answered HTTP 503"
 */
public record Probe(boolean healthy, String detail) {}
