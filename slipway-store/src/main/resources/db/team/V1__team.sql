-- The team server's state (PostgreSQL only): users, runs, releases as the server saw them,
-- promotions and their approvals, freezes, and a small key/value table. The audit trail is V2's.

CREATE TABLE users (
    name         TEXT        NOT NULL,
    roles        TEXT[]      NOT NULL,
    -- Only the SHA-256 of a token, never the token: the CHECK refuses anything but 64 hex digits.
    token_sha256 TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    CONSTRAINT users_pk PRIMARY KEY (name),
    CONSTRAINT users_token_uq UNIQUE (token_sha256),
    CONSTRAINT users_token_ck CHECK (token_sha256 ~ '^[0-9a-f]{64}$')
);

CREATE TABLE promotions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    from_env     TEXT        NOT NULL,
    to_env       TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    requested_by TEXT        NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    outcome      TEXT,
    -- Items (service, release, image) and config changes as the server computed them at request time.
    view_json    TEXT        NOT NULL,
    CONSTRAINT promotions_pk PRIMARY KEY (id)
);

CREATE INDEX promotions_to_env_ix ON promotions (to_env, state);
CREATE INDEX promotions_from_env_ix ON promotions (from_env);

CREATE TABLE runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    kind         TEXT        NOT NULL,
    environment  TEXT        NOT NULL,
    service      TEXT,
    state        TEXT        NOT NULL,
    message      TEXT,
    release      TEXT,
    image        TEXT,
    requested_by TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    promotion_id BIGINT,
    request_json TEXT,
    CONSTRAINT runs_pk PRIMARY KEY (id),
    CONSTRAINT runs_promotion_fk FOREIGN KEY (promotion_id) REFERENCES promotions (id)
);

-- What a restarted server must finish: a small set, read at every start.
CREATE INDEX runs_active_ix ON runs (id) WHERE finished_at IS NULL;
CREATE INDEX runs_environment_ix ON runs (environment, id);
CREATE INDEX runs_promotion_ix ON runs (promotion_id) WHERE promotion_id IS NOT NULL;

-- The order in which releases were recorded: the current release of a service is its last recorded.
CREATE SEQUENCE server_releases_recorded;

CREATE TABLE server_releases (
    environment    TEXT        NOT NULL,
    service        TEXT        NOT NULL,
    release        TEXT        NOT NULL,
    image          TEXT,
    config_digest  TEXT,
    -- Secret values masked by the caller: never clear text here.
    config_json    TEXT,
    state          TEXT        NOT NULL,
    live_since     TIMESTAMPTZ,
    analysis       TEXT,
    rolled_back_at TIMESTAMPTZ,
    run_id         BIGINT,
    recorded_seq   BIGINT      NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT server_releases_pk PRIMARY KEY (environment, service, release),
    CONSTRAINT server_releases_run_fk FOREIGN KEY (run_id) REFERENCES runs (id)
);

CREATE INDEX server_releases_current_ix ON server_releases (environment, service, recorded_seq);

CREATE TABLE approvals (
    promotion_id BIGINT      NOT NULL,
    user_name    TEXT        NOT NULL,
    decision     TEXT        NOT NULL,
    comment      TEXT,
    at           TIMESTAMPTZ NOT NULL,
    -- One decision per user per promotion: a second approval by the same user must not count twice.
    CONSTRAINT approvals_pk PRIMARY KEY (promotion_id, user_name),
    CONSTRAINT approvals_promotion_fk FOREIGN KEY (promotion_id) REFERENCES promotions (id),
    CONSTRAINT approvals_decision_ck CHECK (decision IN ('approved', 'rejected'))
);

CREATE TABLE freezes (
    environment TEXT        NOT NULL,
    until_at    TIMESTAMPTZ NOT NULL,
    reason      TEXT        NOT NULL,
    set_by      TEXT        NOT NULL,
    set_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT freezes_pk PRIMARY KEY (environment)
);

CREATE TABLE server_state (
    key        TEXT        NOT NULL,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT server_state_pk PRIMARY KEY (key)
);
