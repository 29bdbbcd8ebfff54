package dev.slipway.server.team;

/**
 * A group of team-server endpoints. {@link TeamServer} calls {@link #register} once at start; every
 * route it registers is authenticated before its handler runs (the handler checks roles with {@link Access}).
 */
public interface TeamRoutes {
  void register(TeamRouter router);
}
