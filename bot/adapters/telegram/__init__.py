"""Telegram through python-telegram-bot v22, used as transport only."""

import os

# Opt in to PTB's timedelta time periods (the v23 behaviour): without it, reading
# RetryAfter.retry_after emits a deprecation warning on every flood-control error.
os.environ.setdefault("PTB_TIMEDELTA", "true")
