-- The schema SQLite has after its migrations 0001..0010, in one step: the same tables and
-- columns, in PostgreSQL's types. The stores read back the same records as from SQLite:
--   * ids: BIGINT GENERATED ALWAYS AS IDENTITY, never reused after a delete (as SQLite's
--     AUTOINCREMENT); a copy from SQLite inserts them with OVERRIDING SYSTEM VALUE and then
--     moves each sequence past the highest id (setval);
--   * moments: TIMESTAMPTZ (microseconds, as SQLite's ISO text), days: DATE, flags: BOOLEAN;
--   * JSON: the JSON type, which keeps the text as written (key order, number spelling), so
--     a record and an export are the same byte for byte as SQLite's; JSONB would reorder keys;
--   * text that is sorted by (owners, kinds, event ids) is COLLATE "C": byte order, as
--     SQLite's, whatever the database's default collation.
-- Every CHECK of SQLite's schema is kept; answers -> assessments cascades on delete.

-- Users, conversation state and processed delivery ids.
CREATE TABLE users (
    platform   TEXT COLLATE "C" NOT NULL,
    workspace  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    locale     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,   -- FALSE: blocked the bot (no reminders)
    PRIMARY KEY (platform, workspace, user_id)
);

CREATE TABLE sessions (
    platform  TEXT COLLATE "C" NOT NULL,
    workspace TEXT COLLATE "C" NOT NULL,
    user_id   TEXT COLLATE "C" NOT NULL,
    step      TEXT,
    data      JSON NOT NULL,                   -- a JSON object
    PRIMARY KEY (platform, workspace, user_id)
);

CREATE TABLE processed_updates (
    update_key TEXT PRIMARY KEY,
    seen_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX processed_updates_seen_at ON processed_updates (seen_at);

-- Self-evaluations (and team ones: team_of) and their answers.
CREATE TABLE assessments (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform              TEXT COLLATE "C" NOT NULL,
    workspace             TEXT COLLATE "C" NOT NULL,
    user_id               TEXT COLLATE "C" NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'abandoned')),
    phase                 TEXT,
    profile               JSON NOT NULL DEFAULT '{}',   -- a JSON object
    cursor                TEXT,
    baseline              JSON NOT NULL DEFAULT '{}',   -- a JSON object
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    completed_at          TIMESTAMPTZ,
    team_of               BIGINT                        -- the coordinator's assessment
);

CREATE INDEX assessments_owner ON assessments (platform, workspace, user_id, id);
CREATE INDEX assessments_team ON assessments (team_of) WHERE team_of IS NOT NULL;

CREATE TABLE answers (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    standard_id   TEXT NOT NULL,
    answer        TEXT CHECK (answer IS NULL OR answer IN ('y', 'n', 'u', 's')),
    note          TEXT NOT NULL DEFAULT '',
    answered_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, standard_id)
);

-- Events (an administrator's, or a calendar feed's: feed is its URL), reminder
-- subscriptions, the delivery ledger and per-person reminder settings.
CREATE TABLE events (
    id        TEXT COLLATE "C" PRIMARY KEY,
    title_pl  TEXT NOT NULL,
    title_en  TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at   TIMESTAMPTZ,
    place     TEXT,
    url       TEXT,
    organiser TEXT,
    category  TEXT NOT NULL,
    region    TEXT,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    date_only BOOLEAN NOT NULL DEFAULT FALSE,
    feed      TEXT
);

CREATE TABLE subscriptions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform   TEXT COLLATE "C" NOT NULL,
    workspace  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    chat_id    TEXT NOT NULL,                  -- '': the person's private chat
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'category', 'all', 'new')),
    target     TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, workspace, user_id, kind, target, region)
);

-- Each (key, owner) once; the owner is '' for a delivery of nobody's. The key is opaque.
CREATE TABLE delivery_ledger (
    key          TEXT NOT NULL,
    platform     TEXT COLLATE "C" NOT NULL DEFAULT '',
    workspace    TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    delivered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, platform, workspace, user_id)
);

CREATE INDEX delivery_ledger_owner ON delivery_ledger (platform, workspace, user_id);

CREATE TABLE reminder_settings (
    platform  TEXT COLLATE "C" NOT NULL,
    workspace TEXT COLLATE "C" NOT NULL,
    user_id   TEXT COLLATE "C" NOT NULL,
    offsets   INTEGER[] NOT NULL,              -- minutes before an event
    PRIMARY KEY (platform, workspace, user_id)
);

CREATE TABLE status_dates (
    platform   TEXT COLLATE "C" NOT NULL,
    workspace  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('kkk', 'esca', 'esca_renewed')),
    granted_on DATE NOT NULL,
    set_at     TIMESTAMPTZ,                    -- when the person gave the date
    renew_on   DATE,                           -- the day to remind about renewing
    PRIMARY KEY (platform, workspace, user_id, kind)
);

-- Action plans, one-time codes (team invitations, account links) and linked accounts.
CREATE TABLE action_items (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform      TEXT COLLATE "C" NOT NULL,
    workspace     TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    chat_id       TEXT NOT NULL,
    assessment_id BIGINT NOT NULL,
    standard_id   TEXT NOT NULL,
    title         TEXT NOT NULL,
    responsible   TEXT NOT NULL,
    due_on        DATE NOT NULL,
    done_at       TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX action_items_owner ON action_items (platform, workspace, user_id);

CREATE TABLE codes (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('invite', 'link')),
    platform      TEXT COLLATE "C" NOT NULL,
    workspace     TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    assessment_id BIGINT,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ
);

CREATE INDEX codes_owner ON codes (platform, workspace, user_id);

-- An account that speaks for another person's identity (linked across platforms).
CREATE TABLE identity_links (
    platform    TEXT COLLATE "C" NOT NULL,
    workspace   TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL,
    c_platform  TEXT COLLATE "C" NOT NULL,
    c_workspace TEXT COLLATE "C" NOT NULL,
    c_user_id   TEXT COLLATE "C" NOT NULL,
    linked_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, workspace, user_id)
);

CREATE INDEX identity_links_canonical ON identity_links (c_platform, c_workspace, c_user_id);

-- Changes to instrument cards that administrators record in chat.
CREATE TABLE content_changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    card       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('call', 'open', 'closed', 'note')),
    author     TEXT NOT NULL,                  -- the admin account, platform:user
    created_at TIMESTAMPTZ NOT NULL,
    url        TEXT NOT NULL,
    start_on   DATE,                           -- the dates of a new call
    end_on     DATE,
    budget     TEXT,
    text       TEXT
);

CREATE INDEX content_changes_card ON content_changes (card, id);

-- What the poller knows about each calendar feed.
CREATE TABLE event_feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,                        -- the server's HTTP date, as sent
    ok_at         TIMESTAMPTZ,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since TIMESTAMPTZ,
    problem       TEXT,
    next_at       TIMESTAMPTZ
);
