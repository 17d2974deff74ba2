-- Action plans, team self-evaluations and linked accounts.
CREATE TABLE action_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    platform      TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    assessment_id INTEGER NOT NULL,
    standard_id   TEXT NOT NULL,
    title         TEXT NOT NULL,
    responsible   TEXT NOT NULL,
    due_on        TEXT NOT NULL,       -- ISO date
    done_at       TEXT,
    created_at    TEXT NOT NULL
);

CREATE INDEX action_items_owner ON action_items (platform, workspace, user_id);

-- One-time codes: team invitations and account links.
CREATE TABLE codes (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('invite', 'link')),
    platform      TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    assessment_id INTEGER,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
) WITHOUT ROWID;

-- A member's assessment in a coordinator's team assessment.
ALTER TABLE assessments ADD COLUMN team_of INTEGER;

-- An account that speaks for another person's identity (linked across platforms).
CREATE TABLE identity_links (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    c_platform TEXT NOT NULL,
    c_workspace TEXT NOT NULL,
    c_user_id  TEXT NOT NULL,
    linked_at  TEXT NOT NULL,
    PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;
