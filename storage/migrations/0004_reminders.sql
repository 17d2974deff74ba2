-- Admin events, reminder subscriptions, the delivery ledger, per-user settings.
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    title_pl   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    starts_at  TEXT NOT NULL,          -- ISO 8601, UTC
    ends_at    TEXT,
    place      TEXT,
    url        TEXT,
    organiser  TEXT,
    category   TEXT NOT NULL,
    region     TEXT,
    cancelled  INTEGER NOT NULL DEFAULT 0,
    date_only  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'category', 'all')),
    target     TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace, user_id, kind, target, region)
);

CREATE TABLE reminder_ledger (
    key          TEXT PRIMARY KEY,     -- event, start time, subscriber, offset
    delivered_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE reminder_settings (
    platform  TEXT NOT NULL,
    workspace TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    offsets   TEXT NOT NULL,           -- JSON list of minutes
    PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;

CREATE TABLE status_dates (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('kkk', 'esca')),
    granted_on TEXT NOT NULL,          -- ISO date
    PRIMARY KEY (platform, workspace, user_id, kind)
) WITHOUT ROWID;
