"""Composing answers from cards: the fact asked first, then the summary, then the source.

Pure functions from a card (or FAQ entry) and a turn to replies; every word comes from the
locale files or the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.folding import fold
from bot.core.localized import Localized, Source
from bot.knowledge.model import Call, Card, Facets, FaqEntry

PREFIX = "k1"
SECTIONS = ("who", "funded", "money", "dates", "apply", "sources")
FACETS = ("money", "dates", "who", "funded")


def detect_facet(question: str, facets: Facets) -> str | None:
    """Return which fact the question asks for (``money``, ``dates``, ``who``, ``funded``)."""
    text = f" {fold(question)} "
    for name in FACETS:
        for word in getattr(facets, name):
            if f" {fold(word)} " in text or (len(word) > 4 and fold(word) in text):
                return name
    return None


def _date(turn: Turn, value: date) -> str:
    return value.strftime("%d.%m.%Y") if turn.locale == "pl" else value.isoformat()


def source_line(turn: Turn, source: Source) -> str:
    """Return "Źródło: <link> (stan na <date>)" for one source."""
    return turn.t("knowledge.source", url=str(source.url), date=_date(turn, source.checked_on))


def call_line(turn: Turn, call: Call) -> str:
    """Describe one call: label, dates, budget, results."""
    if call.start and call.end:
        dates = turn.t(
            "knowledge.call_range", start=_date(turn, call.start), end=_date(turn, call.end)
        )
    elif call.end:
        dates = turn.t("knowledge.call_end_only", end=_date(turn, call.end))
    elif call.start:
        dates = turn.t("knowledge.call_open_end", start=_date(turn, call.start))
    else:
        dates = "–"
    budget = (
        turn.t("knowledge.call_budget", budget=call.budget.get(turn.locale)) if call.budget else ""
    )
    results = (
        turn.t("knowledge.call_results", results=call.results.get(turn.locale))
        if call.results
        else ""
    )
    return turn.t(
        "knowledge.call",
        label=call.label.get(turn.locale),
        dates=dates,
        budget=budget,
        results=results,
    )


def section_text(turn: Turn, card: Card, section: str) -> str:
    """Return the text of one section of a card (``no_data`` when the card lacks it)."""
    loc = turn.locale
    lines: list[str] = []
    if section == "who":
        lines.append(card.who.get(loc))
    elif section == "funded" and card.funded is not None:
        for part in ("coordinator", "members"):
            text: Localized | None = getattr(card.funded, part)
            if text is not None:
                lines.append(turn.t(f"knowledge.funded.{part}", text=text.get(loc)))
    elif section == "money" and card.money is not None:
        for part in ("max_grant", "eligible_costs", "own_contribution", "aid_intensity", "other"):
            text = getattr(card.money, part)
            if text is not None:
                lines.append(turn.t(f"knowledge.money.{part}", text=text.get(loc)))
    elif section == "dates":
        lines.append(turn.t(f"knowledge.status.{card.status}"))
        lines += [call_line(turn, call) for call in card.calls]
    elif section == "apply":
        lines.append(card.apply.get(loc))
    elif section == "sources":
        lines.append(turn.t("knowledge.sources_title"))
        lines += [
            turn.t("knowledge.source_line", url=str(s.url), date=_date(turn, s.checked_on))
            for s in card.sources
        ]
        if card.uncertainty is not None:
            lines.append(turn.t("knowledge.uncertainty", text=card.uncertainty.get(loc)))
    if not lines or (section == "dates" and not card.calls and card.status != "permanent"):
        lines.append(turn.t("knowledge.no_data"))
    return "\n".join(lines)


def section_buttons(
    turn: Turn, card: Card, cards: dict[str, Card]
) -> tuple[tuple[Button, ...], ...]:
    """Buttons for a card's sections, its successor and browsing."""
    b = [Button(turn.t(f"knowledge.section.{s}"), f"{PREFIX}:sec:{card.id}:{s}") for s in SECTIONS]
    rows = [tuple(b[i : i + 2]) for i in range(0, len(b), 2)]
    last: list[Button] = []
    if card.successor and card.successor in cards:
        last.append(
            Button(turn.t("knowledge.section.successor"), f"{PREFIX}:card:{card.successor}")
        )
    last.append(Button(turn.t("knowledge.section.browse"), f"{PREFIX}:browse"))
    rows.append(tuple(last))
    return tuple(rows)


def notices(turn: Turn, card: Card, cards: dict[str, Card], kkk: str | None) -> list[str]:
    """Return what must come first: an ended programme and its successor, eligibility."""
    lines: list[str] = []
    if card.status == "closed":
        last = card.last_call
        if last is not None and last.end is not None:
            lines.append(turn.t("knowledge.closed", end=_date(turn, last.end)))
        else:
            lines.append(turn.t("knowledge.closed_undated"))
        if card.successor and card.successor in cards:
            lines.append(
                turn.t("knowledge.successor", name=cards[card.successor].name.get(turn.locale))
            )
    if card.requires_kkk and kkk is not None and kkk != "yes":
        names = ", ".join(cards[a].name.get(turn.locale) for a in card.alternatives if a in cards)
        lines.append(turn.t("knowledge.kkk_only", alternatives=names or "–"))
    return lines


def card_answer(
    turn: Turn,
    card: Card,
    cards: dict[str, Card],
    *,
    facet: str | None = None,
    faq: FaqEntry | None = None,
    kkk: str | None = None,
) -> Reply:
    """Answer about a card: notices, the fact asked, the summary, the source, section buttons."""
    loc = turn.locale
    lines = notices(turn, card, cards, kkk)
    if faq is not None:
        lines += [
            f"**{faq.question.get(loc)}**",
            faq.answer.get(loc),
            source_line(turn, faq.sources[0]),
        ]
        lines += ["", f"**{card.name.get(loc)}**", card.summary.get(loc)]
    else:
        lines.append(f"**{card.name.get(loc)}**")
        if facet is not None:
            lines.append(section_text(turn, card, facet))
        lines.append(card.summary.get(loc))
    if card.uncertainty is not None:
        lines.append(turn.t("knowledge.uncertainty", text=card.uncertainty.get(loc)))
    lines.append(source_line(turn, card.sources[0]))
    return Reply("\n".join(lines), buttons=section_buttons(turn, card, cards))


def unknown_answer(turn: Turn, closest: Sequence[Card], contact: Card) -> Reply:
    """Say honestly that we do not know; offer the closest topics and where to ask."""
    loc = turn.locale
    lines = [
        turn.t("knowledge.unknown"),
        "",
        f"**{contact.name.get(loc)}**",
        contact.summary.get(loc),
    ]
    lines += [contact.apply.get(loc), source_line(turn, contact.sources[0])]
    buttons = [(Button(c.name.get(loc)[:64], f"{PREFIX}:card:{c.id}"),) for c in closest[:3]]
    buttons.append((Button(turn.t("knowledge.section.browse"), f"{PREFIX}:browse"),))
    return Reply("\n".join(lines), buttons=tuple(buttons))
