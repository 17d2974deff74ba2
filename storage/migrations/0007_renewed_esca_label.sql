-- A renewed ESCA Bronze label is extended by 3 years, a first one lasts 2: the status dates
-- accept a third kind, 'esca_renewed'. SQLite cannot change a CHECK in place, so the table
-- is rebuilt with its rows.
CREATE TABLE status_dates_new (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('kkk', 'esca', 'esca_renewed')),
    granted_on TEXT NOT NULL,          -- ISO date
    PRIMARY KEY (platform, workspace, user_id, kind)
) WITHOUT ROWID;
INSERT INTO status_dates_new (platform, workspace, user_id, chat_id, kind, granted_on)
    SELECT platform, workspace, user_id, chat_id, kind, granted_on FROM status_dates;
DROP TABLE status_dates;
ALTER TABLE status_dates_new RENAME TO status_dates;
