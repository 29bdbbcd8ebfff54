package dev.slipway.api.team;

import java.time.Instant;
import java.util.Map;

/**
 * An isolated copy of the application.
 *
 * @param target    {@code local} (its own processes, ports, routes and data) or {@code kubernetes} (its own namespace)
 * @param state     {@code starting}, {@code up}, {@code failed}, {@code removing}, {@code removed}, {@code expired}
 * @param location  the preview's state directory (local) or namespace (kubernetes)
 * @param urls      its services' URLs by service name
 */
public record PreviewView(String name, String target, String state, String source, String location,
    Map<String, String> urls, String createdBy, Instant createdAt, Instant expiresAt, String message) {}
