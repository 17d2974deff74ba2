-- SQLite's migration 0011 (issue 19, the web view) in PostgreSQL's types, as 0001 is for
-- 0001..0010. Secret web links are kept by the SHA-256 of their secret only (lower-case
-- hex); assessment_id names a report's self-evaluation, without a foreign key: a link to an
-- assessment that is gone shows nothing.
CREATE TABLE web_tokens (
    digest        TEXT COLLATE "C" PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
    kind          TEXT NOT NULL CHECK (kind IN ('report', 'signin', 'session')),
    platform      TEXT COLLATE "C" NOT NULL,   -- the owner: who made the link, or signs in
    workspace     TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    assessment_id BIGINT,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ,                 -- a sign-in link's only use
    revoked_at    TIMESTAMPTZ
);

CREATE INDEX web_tokens_owner ON web_tokens (platform, workspace, user_id, kind);

-- Whether an owner's finished self-evaluations may count in the anonymised overview.
CREATE TABLE consents (
    platform   TEXT COLLATE "C" NOT NULL,
    workspace  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    overview   BOOLEAN NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, workspace, user_id)
);
