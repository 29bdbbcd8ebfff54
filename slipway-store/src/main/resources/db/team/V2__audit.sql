-- The team server's audit trail (issue 11): an append-only hash chain and signed checkpoints over it.
-- The chain's rules are dev.slipway.api.team.AuditChain's; dev.slipway.store.audit.JdbcAuditLog writes here.

-- Every text column is hashed as stored, so none is JSONB (it would reorder keys) and none is CHAR
-- (it would pad). The hash covers `at` in milliseconds; TIMESTAMPTZ keeps microseconds, so it is exact.
CREATE TABLE audit_entries (
    seq            BIGINT      NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    environment    TEXT,
    service        TEXT,
    before_release TEXT,
    after_release  TEXT,
    before_digest  TEXT,
    after_digest   TEXT,
    reason         TEXT,
    details        TEXT,
    prev_hash      TEXT        NOT NULL,
    hash           TEXT        NOT NULL,
    CONSTRAINT audit_entries_pk PRIMARY KEY (seq),
    CONSTRAINT audit_entries_seq_ck CHECK (seq > 0)
);

CREATE INDEX audit_entries_environment_ix ON audit_entries (environment, seq);
CREATE INDEX audit_entries_at_ix ON audit_entries (at);

-- The chain's head: one row, locked FOR UPDATE by every append until its transaction ends, which is
-- what numbers entries without gaps across threads and processes.
CREATE TABLE audit_head (
    id   INTEGER NOT NULL,
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL,
    CONSTRAINT audit_head_pk PRIMARY KEY (id),
    CONSTRAINT audit_head_one_ck CHECK (id = 1)
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Signed statements "the trail held `count` entries ending in `head_hash` at `at`" (Ed25519 over
-- AuditChain.checkpointText). Export them somewhere the database's writers cannot reach.
CREATE TABLE audit_checkpoints (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY,
    count      BIGINT      NOT NULL,
    head_hash  TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    public_key TEXT        NOT NULL,
    signature  TEXT        NOT NULL,
    CONSTRAINT audit_checkpoints_pk PRIMARY KEY (id)
);
