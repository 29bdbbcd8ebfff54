package dev.slipway.server.team;

/**
 * Where {@link TeamRoutes} register handlers. A pattern is a full path whose {@code {name}} segments
 * match one segment each, e.g. {@code TeamPaths.PROMOTIONS + "/{id}/approve"}; the handler reads them
 * with {@link TeamRequest#param}.
 */
public interface TeamRouter {
  void get(String pattern, TeamHandler handler);

  void post(String pattern, TeamHandler handler);

  void put(String pattern, TeamHandler handler);

  void delete(String pattern, TeamHandler handler);

  /** One endpoint of the team server. Throw {@code ApiError} for any refusal; it renders as {@code ErrorView}. */
  @FunctionalInterface
  interface TeamHandler {
    TeamResponse handle(TeamRequest request) throws Exception;
  }
}
