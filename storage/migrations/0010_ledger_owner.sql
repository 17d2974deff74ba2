-- The delivery ledger names the person each delivery went to in columns of its own, so
-- erasing a person's data finds their rows without reading the keys. The key is opaque to
-- storage from now on; the rows kept here keep their keys, so a delivery claimed before this
-- migration is still not repeated. Until now the owner was the second-to-last '|'-separated
-- part of the key when that part reads 'platform:workspace:user' (the scheduler's reminders,
-- the notices about new events and the feed warnings); other keys belong to nobody.
CREATE TABLE delivery_ledger (
    key          TEXT NOT NULL,
    platform     TEXT NOT NULL DEFAULT '',   -- the owner ('' for a delivery of nobody's)
    workspace    TEXT NOT NULL DEFAULT '',
    user_id      TEXT NOT NULL DEFAULT '',
    delivered_at TEXT NOT NULL,              -- ISO 8601, UTC
    PRIMARY KEY (key, platform, workspace, user_id)
) WITHOUT ROWID;

CREATE INDEX delivery_ledger_owner ON delivery_ledger (platform, workspace, user_id);

-- Split every key at '|' (part n counts from 1), find the second-to-last part, and read the
-- owner from it when it has exactly two colons.
CREATE TEMP TABLE ledger_owner_parts AS
    WITH RECURSIVE parts (key, rest, n, part) AS (
        SELECT key, key || '|', 0, NULL FROM reminder_ledger
        UNION ALL
        SELECT key, substr(rest, instr(rest, '|') + 1), n + 1,
               substr(rest, 1, instr(rest, '|') - 1)
          FROM parts WHERE rest <> ''
    )
    SELECT p.key AS key, p.part AS part
      FROM parts AS p
      JOIN (SELECT key, max(n) AS last FROM parts GROUP BY key) AS c
        ON c.key = p.key AND p.n = c.last - 1
     WHERE p.n >= 1 AND length(p.part) - length(replace(p.part, ':', '')) = 2;

INSERT INTO delivery_ledger (key, platform, workspace, user_id, delivered_at)
    SELECT l.key,
           coalesce(substr(o.part, 1, instr(o.part, ':') - 1), ''),
           coalesce(substr(o.part, instr(o.part, ':') + 1,
                           instr(substr(o.part, instr(o.part, ':') + 1), ':') - 1), ''),
           coalesce(substr(substr(o.part, instr(o.part, ':') + 1),
                           instr(substr(o.part, instr(o.part, ':') + 1), ':') + 1), ''),
           l.delivered_at
      FROM reminder_ledger AS l LEFT JOIN ledger_owner_parts AS o ON o.key = l.key;

DROP TABLE ledger_owner_parts;
DROP TABLE reminder_ledger;
