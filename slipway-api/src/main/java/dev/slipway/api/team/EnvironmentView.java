package dev.slipway.api.team;

import java.util.List;

/**
 * An environment as the team server sees it.
 *
 * @param target      {@code local} or {@code kubernetes}
 * @param promotedFrom the environment its releases come from ({@code promotion.from}), or null
 * @param isProtected  whether a direct deploy is refused (only promotions)
 * @param freeze      the freeze in force, or null
 * @param releases    the release each service runs now
 */
public record EnvironmentView(String name, String target, String promotedFrom, boolean isProtected,
    FreezeView freeze, List<ServerReleaseView> releases) {}
