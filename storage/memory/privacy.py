"""Erasing everything held about a person in memory."""

from __future__ import annotations

from bot.core.events import UserKey
from storage.memory.tables import Tables, owner_columns


class MemoryErasure(Tables):
    """The erasing half of the :class:`PrivacyStore` port (the export reads the ports)."""

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything about ``key`` and the accounts linked to it."""
        keys = {key, *(alias for alias, link in self._links.items() if link.canonical == key)}
        for k in keys:
            self._users.pop(k, None)
            self._sessions.pop(k, None)
            self._offsets.pop(k, None)
            self._consents.pop(k, None)
        for alias in [a for a, link in self._links.items() if keys & {a, link.canonical}]:
            del self._links[alias]
        for aid in [a for a, r in self._assessments.items() if r.owner in keys]:
            del self._assessments[aid]
            self._answers.pop(aid, None)
        for sub in [s for s in self._subscriptions.values() if s.owner in keys]:
            del self._subscriptions[sub.id]
            del self._subscription_ids[(sub.owner, sub.kind, sub.target, sub.region)]
        for status_key in [sk for sk in self._status if sk[0] in keys]:
            del self._status[status_key]
        for item_id in [i for i, a in self._actions.items() if a.owner in keys]:
            del self._actions[item_id]
        for code in [c for c, v in self._codes.items() if v.owner in keys]:
            del self._codes[code]
        for digest in [d for d, t in self._web_tokens.items() if t.owner in keys]:
            del self._web_tokens[digest]
        owners = {owner_columns(k) for k in keys}
        for entry in [e for e in self._ledger if e[1] in owners]:
            del self._ledger[entry]
