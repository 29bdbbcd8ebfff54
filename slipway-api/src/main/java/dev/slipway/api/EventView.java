package dev.slipway.api;

import java.util.Map;

/**
 * One thing that happened, as streamed by {@code GET /api/v1/events} (server-sent events, one JSON
 * object per {@code data:} line) and kept in the control plane's recent history.
 *
 * @param seq     increasing sequence number; resume a stream with {@code ?after=SEQ}
 * @param time    ISO-8601 instant
 * @param kind    what happened, see {@link EventKind}
 * @param subject the service, instance or resource concerned, or null for the stack
 * @param message one human-readable line, secrets masked
 * @param details extra facts (log tail under {@code "log"}, durations, ports), secrets masked
 */
public record EventView(long seq, String time, String kind, String subject, String message,
    Map<String, Object> details) {}
