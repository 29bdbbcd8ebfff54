-- Who owns an environment: one row per environment, never deleted, so that its token only grows.
-- A control plane takes the lease (token + 1) when the row is free or expired, renews expires_at
-- while it lives, and every write it makes to the environment first locks this row and checks that
-- the token is still its own and unexpired (see JdbcLeases). Times are the database's clock.
CREATE TABLE leases (
    environment    VARCHAR(255)             NOT NULL,
    token          BIGINT                   NOT NULL,
    holder_host    VARCHAR(255)             NOT NULL,
    holder_pid     BIGINT                   NOT NULL,
    -- Random per process: tells "another process" apart where pids and host names can repeat.
    holder_process VARCHAR(64)              NOT NULL,
    holder_detail  VARCHAR(1000),
    acquired_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT leases_pk PRIMARY KEY (environment),
    CONSTRAINT leases_token_ck CHECK (token > 0)
);
