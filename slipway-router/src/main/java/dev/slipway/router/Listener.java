package dev.slipway.router;

import io.netty.channel.Channel;

/**
 * A front port on 127.0.0.1. Keyed by port, not by service, so a config that renames a service or
 * swaps two services' ports never has to close and rebind a socket it already holds.
 */
final class Listener {
    final int port;
    /** Set right after the bind succeeds. */
    volatile Channel serverChannel;
    /** The service now served on this port; null once the port was removed from the config. */
    volatile ServiceRoute route;

    Listener(int port) {
        this.port = port;
    }
}
