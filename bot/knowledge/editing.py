"""Administrators keep the cards current from the chat: a new call, open/closed, a correction.

``/tresc`` (``/content``) → a category → a card → what to record. A new call asks for its
first day ("-" when unknown), its last day to apply (today or later, not before the first),
its budget ("-" when unknown) and the link to its announcement; a mark (open / closed) and a
correction note ask for their link. Each change is stored with who and when, shown above the
card's own content in every answer, and a new call is announced once to everyone subscribed
to call deadlines (or to everything). Bad input gets a clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from bot.core.dates import parse_when
from bot.core.events import Action, Address, Button, Command, Reply, Text, button_label
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.i18n import Texts
from bot.core.localized import Localized, local_date
from bot.core.markup import escape
from bot.core.ports import ContentChangeStore, ReminderStore, UserStore
from bot.core.records import ContentChange
from bot.knowledge.model import Call, Card, KnowledgeContent

PREFIX = "k2"
KINDS = ("call", "open", "closed", "note")
#: The step that waits for each field, in the order a change of each kind asks for them.
FIELDS = {
    "call": ("start", "end", "budget", "url"),
    "open": ("url",),
    "closed": ("url",),
    "note": ("text", "url"),
}
MAX_TEXT = 500
Notify = Callable[[Address, Sequence[Reply]], Awaitable[bool]]


class ContentEditing(FeatureBase):
    """The administrators' chat flow for recording changes to cards."""

    name = "edit"
    action_prefix = PREFIX

    def __init__(
        self,
        content: KnowledgeContent,
        changes: ContentChangeStore,
        admins: frozenset[str],
        tz: ZoneInfo,
        texts: Texts,
        subscribers: ReminderStore | None = None,
        notify: Notify | None = None,
        users: UserStore | None = None,
    ) -> None:
        self.cards = {card.id: card for card in content.cards}
        self.categories = content.vocabulary.categories
        self.changes = changes
        self.admins = admins
        self.tz = tz
        self.texts = texts
        self.subscribers = subscribers
        self.notify = notify
        self.users = users

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/tresc`` (``/content``)."""
        return {"tresc": self.start, "content": self.start}

    def is_shared(self, content: Command | Action) -> bool:
        """An administrator's work: answered in private."""
        return False

    def _is_admin(self, turn: Turn) -> bool:
        return turn.incoming.address.user_key.account in self.admins

    async def start(self, turn: Turn) -> list[Reply]:
        """Show the categories (to administrators only)."""
        if not self._is_admin(turn):
            return [Reply(turn.t("knowledge.edit.refused"))]
        buttons = tuple(
            (Button(c.title.get(turn.locale), f"{PREFIX}:cat:{c.id}"),)
            for c in self.categories
            if any(card.category == c.id for card in self.cards.values())
        )
        return [Reply(turn.t("knowledge.edit.choose_category"), buttons=buttons)]

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route category, card and change-kind buttons."""
        if not self._is_admin(turn):
            return [Reply(turn.t("knowledge.edit.refused"))]
        match fields:
            case ["cat", category]:
                cards = [c for c in self.cards.values() if c.category == category]
                if cards:
                    buttons = tuple(
                        (Button(button_label(c.name.get(turn.locale)), f"{PREFIX}:card:{c.id}"),)
                        for c in cards
                    )
                    return [Reply(turn.t("knowledge.edit.choose_card"), buttons=buttons)]
            case ["card", card_id] if card_id in self.cards:
                card = self.cards[card_id]
                buttons = tuple(
                    (
                        Button(
                            turn.t(f"knowledge.edit.kind.{kind}"), f"{PREFIX}:do:{card_id}:{kind}"
                        ),
                    )
                    for kind in KINDS
                )
                name = card.name.get(turn.locale)
                return [Reply(turn.t("knowledge.edit.choose_kind", card=name), buttons=buttons)]
            case ["do", card_id, kind] if card_id in self.cards and kind in KINDS:
                turn.session.data = {"card": card_id, "kind": kind}
                return self._ask(turn, FIELDS[kind][0])
        return [Reply(turn.t("errors.stale_button"))]

    def _ask(self, turn: Turn, field: str) -> list[Reply]:
        turn.session.step = f"{self.name}.{field}"
        return [Reply(turn.t(f"knowledge.edit.ask.{field}"))]

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat the question of the waiting step."""
        field = (turn.session.step or "").removeprefix(f"{self.name}.")
        return [Reply(turn.t(f"knowledge.edit.ask.{field}"))] if field else []

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take the waiting field; check it; ask for the next one or save the change."""
        data = turn.session.data
        card_id, kind = str(data.get("card", "")), str(data.get("kind", ""))
        field = (turn.session.step or "").removeprefix(f"{self.name}.")
        if not self._is_admin(turn) or card_id not in self.cards or kind not in FIELDS:
            turn.session.step, turn.session.data = None, {}
            return [Reply(turn.t("knowledge.edit.refused"))]
        content = turn.incoming.content
        text = content.text.strip() if isinstance(content, Text) else ""
        problem = self._take(turn, field, text)
        if problem is not None:
            return [Reply(turn.t(f"knowledge.edit.bad.{problem}")), *self._ask(turn, field)]
        order = FIELDS[kind]
        position = order.index(field)
        if position + 1 < len(order):
            return self._ask(turn, order[position + 1])
        return await self._save(turn, self.cards[card_id], kind)

    def _take(self, turn: Turn, field: str, text: str) -> str | None:
        """Store one field in the session; return the problem's key when it is refused."""
        data = turn.session.data
        today = turn.now.astimezone(self.tz).date()
        if field in ("start", "end"):
            if field == "start" and text == "-":
                data["start"] = None
                return None
            parsed = parse_when(text, self.tz, today)
            if parsed is None:
                return "date"
            day = parsed[0].date()
            if field == "end":
                if day < today:
                    return "past"
                start = data.get("start")
                if isinstance(start, str) and day < date.fromisoformat(start):
                    return "order"
            data[field] = day.isoformat()
            return None
        if field == "budget":
            data["budget"] = None if text == "-" else text[:MAX_TEXT]
            return None if text else "empty"
        if field == "text":
            data["text"] = text[:MAX_TEXT]
            return None if text else "empty"
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
            return "link"
        data["url"] = text
        return None

    async def _save(self, turn: Turn, card: Card, kind: str) -> list[Reply]:
        data = turn.session.data
        start, end = data.get("start"), data.get("end")
        change = await self.changes.add_content_change(
            ContentChange(
                card=card.id,
                kind=kind,
                author=turn.incoming.address.user_key.account,
                created_at=turn.now,
                url=str(data["url"]),
                start=date.fromisoformat(start) if isinstance(start, str) else None,
                end=date.fromisoformat(end) if isinstance(end, str) else None,
                budget=str(data["budget"]) if data.get("budget") else None,
                text=str(data["text"]) if data.get("text") else None,
            )
        )
        turn.session.step, turn.session.data = None, {}
        name = card.name.get(turn.locale)
        replies = [Reply(turn.t("knowledge.edit.saved", card=name, id=change.id))]
        if kind == "call":
            told = await self._announce(change, card)
            replies.append(Reply(turn.t("knowledge.edit.announced", count=told)))
        return replies

    async def _announce(self, change: ContentChange, card: Card) -> int:
        """Tell each subscriber of call deadlines (or of everything) about a new call, once."""
        if self.subscribers is None or self.notify is None or change.end is None:
            return 0
        told = 0
        seen: set[str] = set()
        for sub in await self.subscribers.list_subscriptions():
            covers = sub.kind == "all" or (sub.kind == "category" and sub.target == "call_deadline")
            account = sub.owner.account
            if not covers or account in seen:
                continue
            seen.add(account)
            key = f"new-call|{change.id}|{account}"
            if not await self.subscribers.claim_delivery(key, change.created_at):
                continue
            user = await self.users.get_user(sub.owner) if self.users is not None else None
            locale = user.locale if user is not None else "pl"
            if await self.notify(sub.address, [self.announcement(locale, card, change)]):
                told += 1
        return told

    def announcement(self, locale: str, card: Card, change: ContentChange) -> Reply:
        """The one message that tells a subscriber about a new call."""

        def t(key: str, **params: object) -> str:
            return self.texts.get(locale, key, **params)

        end = local_date(t, change.end) if change.end else "–"
        when = local_date(t, change.created_at.date())
        link = t("source.link", url=change.url, label=urlsplit(change.url).netloc)
        text = "\n".join(
            [
                t("knowledge.change.announce", card=card.name.get(locale), end=end),
                t("knowledge.change.source", link=link, when=when),
            ]
        )
        return Reply(
            text, buttons=((Button(t("knowledge.change.open_card"), f"k1:card:{card.id}"),),)
        )


def with_recorded_calls(card: Card, changes: Sequence[ContentChange], texts: Texts) -> Card:
    """The card with the new calls administrators recorded added to its own calls."""

    def label(change: ContentChange) -> Localized:
        def in_locale(locale: str) -> str:
            def t(key: str, **params: object) -> str:
                return texts.get(locale, key, **params)

            return t("knowledge.change.call_label", date=local_date(t, change.created_at.date()))

        return Localized(pl=in_locale("pl"), en=in_locale("en"))

    recorded = tuple(
        Call(
            label=label(c),
            start=c.start,
            end=c.end,
            budget=Localized(pl=c.budget, en=c.budget) if c.budget else None,
        )
        for c in changes
        if c.kind == "call"
    )
    return card.model_copy(update={"calls": card.calls + recorded}) if recorded else card


def change_lines(turn: Turn, changes: Sequence[ContentChange]) -> list[str]:
    """What administrators recorded about a card, newest first, each with its source and date."""
    lines: list[str] = []
    for change in sorted(changes, key=lambda c: c.id, reverse=True)[:3]:
        when = local_date(turn.t, change.created_at.date())
        params: dict[str, object] = {"when": when}
        if change.kind == "call":
            params["start"] = local_date(turn.t, change.start) if change.start else "–"
            params["end"] = local_date(turn.t, change.end) if change.end else "–"
            params["budget"] = (
                turn.t("knowledge.change.budget", budget=escape(change.budget))
                if change.budget
                else ""
            )
        if change.kind == "note":
            params["text"] = escape(change.text or "")
        lines.append(turn.t(f"knowledge.change.{change.kind}", **params))
        link = turn.t("source.link", url=change.url, label=urlsplit(change.url).netloc)
        lines.append(turn.t("knowledge.change.source", link=link, when=when))
    return lines


def changes_report(changes: Sequence[ContentChange]) -> str:
    """One line per recorded change, for ``clusterbot content-changes``."""
    lines = []
    for c in changes:
        detail = {
            "call": f"{c.start or '?'} – {c.end}" + (f", {c.budget}" if c.budget else ""),
            "note": c.text or "",
        }.get(c.kind, "")
        when = c.created_at.isoformat(timespec="minutes")
        lines.append(f"#{c.id} {when} {c.author} {c.card} {c.kind}: {detail} ({c.url})".strip())
    return "\n".join(lines) or "no content changes recorded"


def changes_patch(changes: Sequence[ContentChange]) -> str:
    """The changes as YAML to merge into ``content/instruments/<card>.yaml`` by hand.

    New calls are ready ``calls:`` entries (the label to be reworded); marks and notes are
    listed with their sources for the editor to fold into the card's status and facts.
    """
    by_card: dict[str, dict[str, list[dict[str, object]]]] = {}
    for c in changes:
        entry = by_card.setdefault(c.card, {"calls": [], "marks": [], "notes": []})
        recorded = {"recorded_by": c.author, "recorded_on": c.created_at.date(), "source": c.url}
        if c.kind == "call":
            call: dict[str, object] = {
                "label": {"pl": f"Nabór (wpis z {c.created_at.date()})", "en": "Call"},
                "start": c.start,
                "end": c.end,
            }
            if c.budget:
                call["budget"] = {"pl": c.budget, "en": c.budget}
            entry["calls"].append({**call, **recorded})
        elif c.kind == "note":
            entry["notes"].append({"text": c.text, **recorded})
        else:
            entry["marks"].append({"call": c.kind, **recorded})
    header = (
        "# Content changes recorded in chat, to merge into content/instruments/<card>.yaml.\n"
        "# calls: append to the card's calls (fix the label, drop recorded_*; keep the source\n"
        "# among the card's sources); marks and notes: fold into status, facts or uncertainty.\n"
    )
    if not by_card:
        return header + "{}\n"
    trimmed = {card: {k: v for k, v in parts.items() if v} for card, parts in by_card.items()}
    return header + yaml.safe_dump(trimmed, allow_unicode=True, sort_keys=False)
