package dev.slipway.api.team;

/**
 * {@code slipway preview up NAME [--ttl 48h] [--from ENV]}.
 *
 * @param name      a DNS label (pull requests use {@code pr-123})
 * @param ttl       ISO-8601 or Slipway duration ({@code 48h}); null: the server's default
 * @param from      an environment whose releases the preview runs, or null for the working tree
 * @param modelFile the model file on the server's host (a local preview of the working tree)
 * @param version   a version label for a working-tree preview, or null
 */
public record PreviewRequest(String name, String ttl, String from, String modelFile, String version) {}
