-- Issue 16: calendar feeds, "tell me about new events", and renewal reminders.
-- Subscriptions accept a fourth kind, 'new' (one message about each event added later).
-- SQLite cannot change a CHECK in place: the table is rebuilt with its rows, and its id
-- sequence is carried over so a deleted subscription's id is never given out again.
CREATE TEMP TABLE subscriptions_seq AS
    SELECT seq FROM sqlite_sequence WHERE name = 'subscriptions';
CREATE TABLE subscriptions_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'category', 'all', 'new')),
    target     TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace, user_id, kind, target, region)
);
INSERT INTO subscriptions_new (id, platform, workspace, user_id, chat_id, kind, target, region,
                               created_at)
    SELECT id, platform, workspace, user_id, chat_id, kind, target, region, created_at
      FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'subscriptions', seq FROM subscriptions_seq
     WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'subscriptions');
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM subscriptions_seq), 0))
 WHERE name = 'subscriptions';
DROP TABLE subscriptions_seq;

-- An event read from a calendar feed keeps the feed's URL (NULL: added by an administrator).
ALTER TABLE events ADD COLUMN feed TEXT;

-- When the user gave a status date, and the day they want to hear about renewing it.
ALTER TABLE status_dates ADD COLUMN set_at TEXT;
ALTER TABLE status_dates ADD COLUMN renew_on TEXT;   -- ISO date

-- What the poller knows about each calendar feed.
CREATE TABLE event_feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    ok_at         TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since TEXT,
    problem       TEXT,
    next_at       TEXT
) WITHOUT ROWID;
