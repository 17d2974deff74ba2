"""One-time codes people type: team invitations and account links."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 8) -> str:
    """A random code that is easy to type."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
