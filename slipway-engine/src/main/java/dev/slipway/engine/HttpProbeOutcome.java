package dev.slipway.engine;

/** Whether an instance is ready, and why not. */
record HttpProbeOutcome(boolean ready, String detail) {}
