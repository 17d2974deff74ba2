"""The knowledge feature: questions in free text, a browse menu, card sections."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from bot.core.events import Action, Button, Command, Reply, Text, button_label
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.ports import AssessmentStore, ContentChangeStore
from bot.knowledge.answer import (
    PREFIX,
    SECTIONS,
    card_answer,
    fact_answer,
    section_buttons,
    section_text,
    unknown_answer,
)
from bot.knowledge.editing import change_lines, with_recorded_calls
from bot.knowledge.facts import answer_facts
from bot.knowledge.model import Card
from bot.knowledge.retrieval import Hit, KnowledgeBase
from bot.knowledge.tuning import CONFIDENCE_THRESHOLD

#: Longer questions are cut to this many characters before they are analysed.
MAX_QUESTION_CHARS = 1000


class KnowledgeFeature(FeatureBase):
    """Answers questions about support instruments and lets users browse the cards."""

    name = "know"
    action_prefix = PREFIX

    def __init__(
        self,
        kb: KnowledgeBase,
        profiles: AssessmentStore | None = None,
        *,
        follow_question_language: bool = True,
        changes: ContentChangeStore | None = None,
    ) -> None:
        self.kb = kb
        self._profiles = profiles
        #: What administrators recorded in chat, shown above a card's own content.
        self._changes = changes
        #: Answer in the question's language when it is clearly Polish or English.
        self.follow_question_language = follow_question_language

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/wsparcie`` (``/support``) and ``/pytanie`` (``/ask``)."""
        return {
            "wsparcie": self.browse,
            "support": self.browse,
            "pytanie": self.ask_command,
            "ask": self.ask_command,
        }

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Offer browsing in the main menu."""
        return (Button(turn.t("knowledge.menu"), f"{PREFIX}:browse"),)

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "knowledge.help"

    def is_shared(self, content: Command | Action) -> bool:
        """Answers and cards are public knowledge: fine in a group."""
        return True

    async def on_text(self, turn: Turn) -> list[Reply]:
        """No step of this feature waits for text; answer it as a question."""
        return await self.answer(turn) or []

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Nothing to repeat."""
        return []

    async def overview(self, turn: Turn) -> list[Reply]:
        """Offer browsing on a home screen."""
        return [Reply(turn.t("knowledge.help"), buttons=((self.menu_buttons(turn)[0],),))]

    async def ask_command(self, turn: Turn) -> list[Reply]:
        """``/pytanie <text>``: answer the text, or explain how to ask."""
        question = " ".join(turn.args)
        if not question:
            return [Reply(turn.t("knowledge.no_words"))]
        return await self.reply_to(turn, question, await self._kkk(turn))

    async def answer(self, turn: Turn) -> list[Reply] | None:
        """Answer free text as a question (never ``None``: unknown questions get a hand-off)."""
        content = turn.incoming.content
        question = content.text if isinstance(content, Text) else ""
        return await self.reply_to(turn, question, await self._kkk(turn))

    def best(self, question: str) -> Hit | None:
        """Return the best hit when confident enough, else ``None``."""
        return _accepted(self.kb.search(question[:MAX_QUESTION_CHARS]))

    async def reply_to(self, turn: Turn, question: str, kkk: str | None) -> list[Reply]:
        """Compose the answer to one question, in its language when that is clear."""
        question = question[:MAX_QUESTION_CHARS]
        if self.follow_question_language:
            # Greetings and a signature do not say the question's language.
            language = self.kb.words.language(self.kb.plain(question), default=turn.locale)
            if language is not None and language != turn.locale:
                user = dataclasses.replace(turn.user, locale=language)
                turn = dataclasses.replace(turn, user=user)
        tokens, ask = self.kb.topical(question)
        if not tokens and (ask is None or ask.type.name != "contact"):
            return [Reply(turn.t("knowledge.no_words"))]  # "Kogo o to zapytać?" is answered
        hits = self.kb.search(question)
        top = _accepted(hits)
        if top is None:
            closest = []
            for hit in hits:
                if hit.card not in closest and hit.card.id != "contact":
                    closest.append(hit.card)
            return [unknown_answer(turn, closest, self.kb.cards["contact"])]
        facts = answer_facts(top.facts, top.ask)
        extra = []
        said = any(f.kind == "status" for f in facts)
        dated = any(f.kind == "deadline" for f in facts)
        if top.ask is not None and top.ask.name == "status" and dated and not said:
            extra.append(turn.t("knowledge.no_later_call"))
        card, above = await self._recorded(turn, top.card.id)
        return [fact_answer(turn, card, facts, self.kb.cards, kkk=kkk, extra=extra, above=above)]

    async def browse(self, turn: Turn) -> list[Reply]:
        """Show the categories as buttons."""
        categories = [c for c in self.kb.content.vocabulary.categories if self._cards_in(c.id)]
        buttons = tuple(
            (Button(c.title.get(turn.locale), f"{PREFIX}:cat:{c.id}"),) for c in categories
        )
        return [Reply(turn.t("knowledge.browse"), buttons=buttons)]

    def _cards_in(self, category: str) -> list[str]:
        return [c.id for c in self.kb.content.cards if c.category == category]

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route browse, category, card and section buttons."""
        cards = self.kb.cards
        match fields:
            case ["browse"]:
                return await self.browse(turn)
            case ["cat", category] if self._cards_in(category):
                loc = turn.locale
                info = next(c for c in self.kb.content.vocabulary.categories if c.id == category)
                buttons = tuple(
                    (Button(button_label(cards[cid].name.get(loc)), f"{PREFIX}:card:{cid}"),)
                    for cid in self._cards_in(category)
                )
                title = turn.t("knowledge.category", category=info.title.get(turn.locale))
                return [Reply(title, buttons=buttons)]
            case ["card", card_id] if card_id in cards:
                card, above = await self._recorded(turn, card_id)
                kkk = await self._kkk(turn)
                return [card_answer(turn, card, cards, kkk=kkk, above=above)]
            case ["sec", card_id, section] if card_id in cards and section in SECTIONS:
                card, _ = await self._recorded(turn, card_id)
                text = f"**{card.name.get(turn.locale)}**\n{section_text(turn, card, section)}"
                return [Reply(text, buttons=section_buttons(turn, card, cards))]
        return [Reply(turn.t("errors.stale_button"))] + await self.browse(turn)

    async def _recorded(self, turn: Turn, card_id: str) -> tuple[Card, list[str]]:
        """The card with the calls administrators recorded, and the lines shown above it.

        A recorded call counts like the file's own: "is it still open?" and the dates section
        answer from it and today.
        """
        card = self.kb.cards[card_id]
        if self._changes is None:
            return card, []
        changes = await self._changes.list_content_changes(card_id)
        return with_recorded_calls(card, changes, turn.texts), change_lines(turn, changes)

    async def _kkk(self, turn: Turn) -> str | None:
        """Return the KKK status from the latest cluster profile, if the user gave one."""
        if self._profiles is None or not turn.incoming.private:
            return None  # where others read, the answer must not tell them about the cluster
        for record in await self._profiles.list_assessments(turn.user.key):
            value = record.profile.get("kkk")
            if isinstance(value, str):
                return value
        return None


def _accepted(hits: Sequence[Hit]) -> Hit | None:
    """The best hit, when it is confident enough and has a fact to lead with."""
    if not hits or hits[0].confidence < CONFIDENCE_THRESHOLD or not hits[0].facts:
        return None
    return hits[0]
