-- Users who blocked the bot are marked inactive (no reminders) until they write again.
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
