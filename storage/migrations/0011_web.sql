-- Issue 19: the web view. Secret web links (a coordinator's report page, an administrator's
-- one-time sign-in, a signed-in browser) are kept by the SHA-256 of their secret only, in
-- lower-case hex: a copy of the database opens nothing. An assessment_id names the report's
-- self-evaluation; there is no foreign key: a link to an assessment that is gone shows nothing.
CREATE TABLE web_tokens (
    digest        TEXT PRIMARY KEY
                  CHECK (length(digest) = 64 AND digest NOT GLOB '*[^0-9a-f]*'),
    kind          TEXT NOT NULL CHECK (kind IN ('report', 'signin', 'session')),
    platform      TEXT NOT NULL,      -- the owner: who made the link, or who signs in
    workspace     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    assessment_id INTEGER,
    created_at    TEXT NOT NULL,      -- ISO 8601, UTC
    expires_at    TEXT NOT NULL,
    used_at       TEXT,               -- a sign-in link's only use
    revoked_at    TEXT
) WITHOUT ROWID;

CREATE INDEX web_tokens_owner ON web_tokens (platform, workspace, user_id, kind);

-- Whether an owner's finished self-evaluations may count in the anonymised overview.
CREATE TABLE consents (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    overview   INTEGER NOT NULL CHECK (overview IN (0, 1)),
    decided_at TEXT NOT NULL,         -- ISO 8601, UTC
    PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;
