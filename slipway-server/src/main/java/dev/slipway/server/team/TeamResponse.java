package dev.slipway.server.team;

/**
 * A handler's answer: a status and a body rendered as JSON (none for 204).
 */
public record TeamResponse(int status, Object body) {
  public static TeamResponse ok(Object body) {
    return new TeamResponse(200, body);
  }

  public static TeamResponse created(Object body) {
    return new TeamResponse(201, body);
  }

  public static TeamResponse accepted(Object body) {
    return new TeamResponse(202, body);
  }

  public static TeamResponse noContent() {
    return new TeamResponse(204, null);
  }
}
