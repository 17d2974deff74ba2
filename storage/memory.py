"""In-memory stores: the reference implementation, used by tests.

Values are copied (JSON round trip) on every read and write, so a caller that mutates what
it got back sees the same behaviour as with SQLite.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.core.events import Address, UserKey
from bot.core.ports import AnswerRecord, AssessmentRecord, SessionState, User
from bot.core.records import (
    ActionItem,
    ContentChange,
    Event,
    FeedState,
    OneTimeCode,
    StatusDate,
    Subscription,
)
from storage.codec import dump_object, dump_time, load_object, load_time
from storage.records_json import action_json, user_export


class MemoryStorage:
    """Users, sessions and the update log in dictionaries."""

    def __init__(self) -> None:
        self._changes: list[ContentChange] = []
        self._last_change_id = 0
        self._users: dict[UserKey, tuple[str, str, bool]] = {}
        self._sessions: dict[UserKey, tuple[str | None, str]] = {}
        self._updates: dict[str, str] = {}
        self._assessments: dict[int, AssessmentRecord] = {}
        self._answers: dict[int, dict[str, AnswerRecord]] = {}
        self._events: dict[str, Event] = {}
        self._subscriptions: dict[int, Subscription] = {}
        self._ledger: dict[str, datetime] = {}
        self._offsets: dict[UserKey, tuple[int, ...]] = {}
        self._status: dict[tuple[UserKey, str], StatusDate] = {}
        self._actions: dict[int, ActionItem] = {}
        self._codes: dict[str, OneTimeCode] = {}
        self._links: dict[UserKey, UserKey] = {}
        self._feeds: dict[str, FeedState] = {}

    async def close(self) -> None:
        """Nothing to release."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user or ``None``."""
        row = self._users.get(key)
        if row is None:
            return None
        return User(key=key, locale=row[0], created_at=load_time(row[1]), active=row[2])

    async def save_user(self, user: User) -> None:
        """Insert or update locale and activity (``created_at`` is kept from the first save)."""
        existing = self._users.get(user.key)
        created = existing[1] if existing else dump_time(user.created_at)
        self._users[user.key] = (user.locale, created, user.active)

    async def load_session(self, key: UserKey) -> SessionState:
        """Return a copy of the state, or an empty one."""
        row = self._sessions.get(key)
        if row is None:
            return SessionState()
        return SessionState(step=row[0], data=load_object(row[1]))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Store a copy of the state."""
        self._sessions[key] = (state.step, dump_object(state.data))

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered."""
        return update_key in self._updates

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        self._updates.setdefault(update_key, dump_time(at))

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``."""
        limit = dump_time(cutoff)
        old = [k for k, at in self._updates.items() if at < limit]
        for k in old:
            del self._updates[k]
        return len(old)

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment with the next id."""
        new_id = max(self._assessments, default=0) + 1
        record = AssessmentRecord(
            id=new_id,
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=now,
            updated_at=now,
        )
        self._assessments[new_id] = record
        self._answers[new_id] = {}
        return _copy_record(record)

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return a copy of the assessment or ``None``."""
        record = self._assessments.get(assessment_id)
        return None if record is None else _copy_record(record)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        mine = [r for r in self._assessments.values() if r.owner == owner]
        return [_copy_record(r) for r in sorted(mine, key=lambda r: r.id, reverse=True)]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Replace the stored fields (id, owner and creation time stay)."""
        stored = self._assessments[record.id]
        updated = _copy_record(record)
        updated.owner, updated.created_at = stored.owner, stored.created_at
        self._assessments[record.id] = updated

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments of a team."""
        team = [r for r in self._assessments.values() if r.team_of == assessment_id]
        return [_copy_record(r) for r in sorted(team, key=lambda r: r.id)]

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return copies of the answers."""
        return dict(self._answers.get(assessment_id, {}))  # records are frozen

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer."""
        self._answers.setdefault(assessment_id, {})[answer.standard_id] = answer

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store both (nothing here can fail between them)."""
        await self.update_assessment(record)
        await self.save_answer(record.id, answer)

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards."""
        answers = self._answers.get(assessment_id, {})
        for standard_id in standard_ids:
            answers.pop(standard_id, None)

    # -- privacy ---------------------------------------------------------------------------------

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return everything stored about ``key``."""
        user = await self.get_user(key)
        if user is None:
            return {}
        actions = [action_json(a) for a in self._actions.values() if a.owner == key]
        linked = [str(alias) for alias, c in self._links.items() if c == key]
        return await user_export(self, key, user, actions, linked)

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything about ``key`` and the accounts linked to it."""
        keys = {key, *(alias for alias, c in self._links.items() if c == key)}
        for k in keys:
            self._users.pop(k, None)
            self._sessions.pop(k, None)
            self._offsets.pop(k, None)
            self._links.pop(k, None)
        for aid in [a for a, r in self._assessments.items() if r.owner in keys]:
            del self._assessments[aid]
            self._answers.pop(aid, None)
        for sid in [s for s, sub in self._subscriptions.items() if sub.owner in keys]:
            del self._subscriptions[sid]
        for status_key in [sk for sk in self._status if sk[0] in keys]:
            del self._status[status_key]
        for item_id in [i for i, a in self._actions.items() if a.owner in keys]:
            del self._actions[item_id]
        for code in [c for c, v in self._codes.items() if v.owner in keys]:
            del self._codes[code]
        owners = {f"|{k}|" for k in keys}
        for ledger_key in [lk for lk in self._ledger if any(o in lk for o in owners)]:
            del self._ledger[ledger_key]

    # -- action plans, codes, linked accounts ---------------------------------------------------

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store an item with the next id."""
        stored = dataclasses.replace(item, id=max(self._actions, default=0) + 1)
        self._actions[stored.id] = stored
        return stored

    async def list_actions(self, owner: UserKey | None = None) -> list[ActionItem]:
        """Return open items by due date."""
        items = [a for a in self._actions.values() if a.done_at is None]
        items = [a for a in items if owner is None or a.owner == owner]
        return sorted(items, key=lambda a: (a.due_on, a.id))

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark an open item of the owner done."""
        item = self._actions.get(item_id)
        if item is None or item.owner != owner or item.done_at is not None:
            return False
        self._actions[item_id] = dataclasses.replace(item, done_at=at)
        return True

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a code."""
        self._codes[code.code] = code

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once, if it is valid and not the redeemer's own."""
        found = self._codes.get(code)
        if (
            found is None
            or found.kind != kind
            or found.used_at is not None
            or found.expires_at <= now
        ):
            return None
        if found.owner == redeemer:
            return found
        used = dataclasses.replace(found, used_at=now)
        self._codes[code] = used
        return used

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical``."""
        self._links[alias] = canonical

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as."""
        return self._links.get(key)

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again."""
        return self._links.pop(alias, None) is not None

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical``, in the order they were linked."""
        return [alias for alias, c in self._links.items() if c == canonical]

    # -- reminders (records are frozen dataclasses: safe to share) ------------------------------

    async def save_event(self, event: Event) -> None:
        """Insert or replace an admin event."""
        self._events[event.id] = event

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store an administrator's change to a card; return it with its id."""
        self._last_change_id += 1
        stored = dataclasses.replace(change, id=self._last_change_id)
        self._changes.append(stored)
        return stored

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the recorded changes (of one card, or all), oldest first."""
        return [c for c in self._changes if card is None or c.card == card]

    async def list_admin_events(self) -> list[Event]:
        """Return every admin event."""
        return sorted(self._events.values(), key=lambda e: (e.starts_at, e.id))

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe, or return the identical existing subscription."""
        for existing in self._subscriptions.values():
            if (existing.owner, existing.kind, existing.target, existing.region) == (
                owner,
                kind,
                target,
                region,
            ):
                return existing
        new_id = max(self._subscriptions, default=0) + 1
        sub = Subscription(new_id, owner, address, kind, target, region, now)
        self._subscriptions[new_id] = sub
        return sub

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's (or everyone's) subscriptions, oldest first."""
        subs = sorted(self._subscriptions.values(), key=lambda s: s.id)
        return [s for s in subs if owner is None or s.owner == owner]

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions."""
        sub = self._subscriptions.get(subscription_id)
        if sub is None or sub.owner != owner:
            return False
        del self._subscriptions[subscription_id]
        return True

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all the owner's subscriptions."""
        mine = [k for k, s in self._subscriptions.items() if s.owner == owner]
        for k in mine:
            del self._subscriptions[k]
        return len(mine)

    async def claim_delivery(self, key: str, at: datetime) -> bool:
        """Claim a ledger key; ``False`` when it was claimed before."""
        if key in self._ledger:
            return False
        self._ledger[key] = at
        return True

    async def release_delivery(self, key: str) -> None:
        """Forget a claim."""
        self._ledger.pop(key, None)

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's offsets or ``None``."""
        return self._offsets.get(owner)

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store or clear the owner's offsets."""
        if offsets is None:
            self._offsets.pop(owner, None)
        else:
            self._offsets[owner] = tuple(offsets)

    async def set_status_date(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        granted_on: date | None,
        at: datetime | None = None,
    ) -> None:
        """Store or forget a status date (a new date clears the renewal reminder)."""
        if granted_on is None:
            self._status.pop((owner, kind), None)
        else:
            self._status[(owner, kind)] = StatusDate(owner, address, kind, granted_on, at)

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set or clear the renewal reminder day of a stored status date."""
        status = self._status.get((owner, kind))
        if status is None:
            return False
        self._status[(owner, kind)] = dataclasses.replace(status, renew_on=renew_on)
        return True

    async def get_feed(self, url: str) -> FeedState | None:
        """Return a feed's state or ``None``."""
        return self._feeds.get(url)

    async def save_feed(self, state: FeedState) -> None:
        """Store a feed's state (records are frozen: safe to share)."""
        self._feeds[state.url] = state

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every status date."""
        return list(self._status.values())


def _copy_record(record: AssessmentRecord) -> AssessmentRecord:
    # JSON round trip for the JSON columns, as SQLite would do.
    clone = copy.copy(record)
    clone.profile = load_object(dump_object(record.profile))
    clone.baseline = {k: str(v) for k, v in load_object(dump_object(record.baseline)).items()}
    return clone
