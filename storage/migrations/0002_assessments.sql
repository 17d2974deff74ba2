-- Self-evaluations and their answers.
CREATE TABLE assessments (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    platform              TEXT NOT NULL,
    workspace             TEXT NOT NULL,
    user_id               TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'abandoned')),
    phase                 TEXT,
    profile               TEXT NOT NULL DEFAULT '{}',   -- JSON object
    cursor                TEXT,
    baseline              TEXT NOT NULL DEFAULT '{}',   -- JSON object
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    completed_at          TEXT
);

CREATE INDEX assessments_owner ON assessments (platform, workspace, user_id, id);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    standard_id   TEXT NOT NULL,
    answer        TEXT CHECK (answer IS NULL OR answer IN ('y', 'n', 'u', 's')),
    note          TEXT NOT NULL DEFAULT '',
    answered_at   TEXT NOT NULL,
    PRIMARY KEY (assessment_id, standard_id)
) WITHOUT ROWID;
