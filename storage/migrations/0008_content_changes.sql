-- Changes to instrument cards that administrators record in chat: a new call, a call marked
-- open or closed, a correction note; each with its source link, who and when.
CREATE TABLE content_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused after a delete
    card       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('call', 'open', 'closed', 'note')),
    author     TEXT NOT NULL,                       -- the admin account, platform:user
    created_at TEXT NOT NULL,
    url        TEXT NOT NULL,
    start_on   TEXT,                                -- ISO dates of a new call
    end_on     TEXT,
    budget     TEXT,
    text       TEXT
);
CREATE INDEX content_changes_card ON content_changes (card, id);
