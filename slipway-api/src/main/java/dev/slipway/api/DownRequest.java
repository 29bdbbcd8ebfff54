package dev.slipway.api;

/** {@code POST /api/v1/down}: stop everything; {@code volumes} also deletes backing-service data. */
public record DownRequest(boolean volumes) {}
