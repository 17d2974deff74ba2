-- Users, conversation state and processed delivery ids.
CREATE TABLE users (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    locale     TEXT NOT NULL,
    created_at TEXT NOT NULL,          -- ISO 8601, UTC
    PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;

CREATE TABLE sessions (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    step       TEXT,
    data       TEXT NOT NULL,          -- JSON object
    PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;

CREATE TABLE processed_updates (
    update_key TEXT PRIMARY KEY,
    seen_at    TEXT NOT NULL           -- ISO 8601, UTC
) WITHOUT ROWID;

CREATE INDEX processed_updates_seen_at ON processed_updates (seen_at);
