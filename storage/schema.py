"""What the SQLite and PostgreSQL schemas share: their tables, by the part they play."""

from __future__ import annotations

#: Every table with a row per person (in ``platform``, ``workspace``, ``user_id``): what an
#: erasure deletes (``answers`` go with their assessments, links to a person as well).
OWNED_TABLES = (
    "assessments",
    "sessions",
    "subscriptions",
    "reminder_settings",
    "status_dates",
    "action_items",
    "codes",
    "identity_links",
    "delivery_ledger",
    "web_tokens",
    "consents",
    "users",
)

#: Every table, parents before children (foreign keys): what a copy between databases moves.
#: The schemas' own bookkeeping (SQLite's ``user_version``, ``schema_migrations``) is not here.
ALL_TABLES = (
    "users",
    "sessions",
    "processed_updates",
    "assessments",
    "answers",
    "events",
    "subscriptions",
    "delivery_ledger",
    "reminder_settings",
    "status_dates",
    "action_items",
    "codes",
    "identity_links",
    "content_changes",
    "event_feeds",
    "web_tokens",
    "consents",
)
