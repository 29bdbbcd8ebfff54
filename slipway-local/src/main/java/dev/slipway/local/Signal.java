package dev.slipway.local;

/** The signals the supervisor sends, by the name {@code kill -s} understands. */
enum Signal {
  /** Polite stop for most programs. */
  TERM,
  /** PostgreSQL's "fast shutdown": roll back, close connections, checkpoint, exit. */
  INT,
  /** Cannot be refused. */
  KILL
}
