"""Composing answers: the facts asked for first, each with its source, then the card.

Pure functions from a card (and its facts) and a turn to replies; every word comes from the
locale files or the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.events import Button, Reply, button_label
from bot.core.feature import Turn
from bot.core.localized import Localized, Source, local_date, source_dating, source_link
from bot.knowledge.freshness import may_be_stale
from bot.knowledge.model import Call, Card, Fact

PREFIX = "k1"
SECTIONS = ("who", "funded", "money", "dates", "apply", "sources")


def _date(turn: Turn, value: date) -> str:
    """``05.12.2023`` in Polish, ``5 Dec 2023`` in English (templates in the locales)."""
    return local_date(turn.t, value)


def source_line(turn: Turn, source: Source) -> str:
    """Return "Źródło: <link> · według źródła z <date>" (or "źródło niedatowane")."""
    return turn.t(
        "knowledge.source", link=source_link(turn.t, source), dated=source_dating(turn.t, source)
    )


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
    if call.results_on is not None:
        results = turn.t("knowledge.call_results_on", date=_date(turn, call.results_on)) + results
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
        lines.append(state_line(turn, card))
        lines += [call_line(turn, call) for call in card.calls]
    elif section == "apply":
        lines.append(card.apply.get(loc))
    elif section == "sources":
        lines.append(turn.t("knowledge.sources_title"))
        lines += [
            turn.t(
                "knowledge.source_line",
                link=source_link(turn.t, s),
                dated=source_dating(turn.t, s),
            )
            for s in card.sources
        ]
        if card.uncertainty is not None:
            lines.append(turn.t("knowledge.uncertainty", text=card.uncertainty.get(loc)))
    if not lines:
        lines.append(turn.t("knowledge.no_data"))
    return "\n".join(lines)


def section_buttons(
    turn: Turn, card: Card, cards: dict[str, Card]
) -> tuple[tuple[Button, ...], ...]:
    """Buttons for a card's sections, its successor (or closest programme) and browsing."""
    b = [Button(turn.t(f"knowledge.section.{s}"), f"{PREFIX}:sec:{card.id}:{s}") for s in SECTIONS]
    rows = [tuple(b[i : i + 2]) for i in range(0, len(b), 2)]
    last: list[Button] = []
    if card.successor and card.successor in cards:
        label = "successor" if card.successor_certain else "successor_near"
        last.append(Button(turn.t(f"knowledge.section.{label}"), f"{PREFIX}:card:{card.successor}"))
    last.append(Button(turn.t("knowledge.section.browse"), f"{PREFIX}:browse"))
    rows.append(tuple(last))
    return tuple(rows)


def state_line(turn: Turn, card: Card) -> str:
    """Where the programme stands today: a call open until …, running, ended, not known."""
    today = turn.now.date()
    state = card.state(today)
    if state == "open":
        call = card.open_call(today)
        assert call is not None and call.end is not None  # noqa: S101 - what "open" means
        return turn.t("knowledge.state.open", end=_date(turn, call.end))
    if state == "upcoming":
        call = card.next_call(today)
        assert call is not None and call.start is not None  # noqa: S101 - what "upcoming" means
        end = _date(turn, call.end) if call.end else "–"
        return turn.t("knowledge.state.upcoming", start=_date(turn, call.start), end=end)
    if state == "permanent":
        return turn.t("knowledge.state.permanent")
    last = card.last_call
    if last is None or last.end is None:
        return turn.t(f"knowledge.state.{state}_no_call")
    return turn.t(f"knowledge.state.{state}", end=_date(turn, last.end))


def successor_line(turn: Turn, card: Card, cards: dict[str, Card]) -> str | None:
    """The successor, or the closest programme with how it differs when none is certain."""
    if not card.successor or card.successor not in cards:
        return None
    name = cards[card.successor].name.get(turn.locale)
    if card.successor_certain or card.successor_note is None:
        return turn.t("knowledge.successor", name=name)
    return turn.t("knowledge.successor_near", name=name, note=card.successor_note.get(turn.locale))


def notices(turn: Turn, card: Card, cards: dict[str, Card], kkk: str | None) -> list[str]:
    """Return what must come first: where the programme stands, its successor, eligibility."""
    lines: list[str] = []
    state = card.state(turn.now.date())
    if state != "permanent":
        lines.append(turn.t(f"knowledge.state_mark.{state}") + " " + state_line(turn, card))
    if state == "ended" and (successor := successor_line(turn, card, cards)):
        lines.append(successor)
    lines += eligibility_notice(turn, card, cards, kkk)
    return lines


def eligibility_notice(
    turn: Turn, card: Card, cards: dict[str, Card], kkk: str | None
) -> list[str]:
    """Warn, from the user's cluster profile, that an instrument was only for KKK clusters."""
    if card.requires_kkk and kkk is not None and kkk != "yes":
        names = ", ".join(cards[a].name.get(turn.locale) for a in card.alternatives if a in cards)
        return [turn.t("knowledge.kkk_only", alternatives=names or "–")]
    return []


def fact_source_line(turn: Turn, fact: Fact) -> str:
    """Return the source line under a fact: where, the date the source shows, how certain."""
    return turn.t(
        "knowledge.fact.source",
        where=source_link(turn.t, fact.source),
        dated=source_dating(turn.t, fact.source),
        certainty=turn.t(f"knowledge.certainty.{fact.certainty}"),
    )


def fact_answer(
    turn: Turn,
    card: Card,
    facts: Sequence[Fact],
    cards: dict[str, Card],
    *,
    kkk: str | None = None,
    extra: Sequence[str] = (),
    above: Sequence[str] = (),
) -> Reply:
    """Answer with facts first (each with its source), then one line about the card.

    ``above``: what administrators recorded for the card, newer than the card's file.
    """
    lines: list[str] = [*above]
    today = turn.now.date()
    for fact in facts:
        lines += [fact.text(turn.locale), fact_source_line(turn, fact)]
        if may_be_stale(fact, today):
            page = fact.source if fact.source.url else _first_page(card)
            lines.append(turn.t("knowledge.fact.stale", link=source_link(turn.t, page)))
    lines += extra
    lines += ["", card_context(turn, card, cards)]
    lines += eligibility_notice(turn, card, cards, kkk)
    return Reply("\n".join(lines), buttons=section_buttons(turn, card, cards))


def _first_page(card: Card) -> Source:
    """The card's first source with an address (where to check what may have changed)."""
    return next((s for s in card.sources if s.url is not None), card.sources[0])


def card_context(turn: Turn, card: Card, cards: dict[str, Card]) -> str:
    """One line: the card's name, where it stands today, and its successor."""
    parts = [f"**{card.name.get(turn.locale)}**", state_line(turn, card)]
    if card.successor and card.successor in cards:
        key = "successor_short" if card.successor_certain else "successor_near_short"
        parts.append(turn.t(f"knowledge.{key}", name=cards[card.successor].name.get(turn.locale)))
    return " · ".join(parts)


def card_answer(
    turn: Turn,
    card: Card,
    cards: dict[str, Card],
    *,
    kkk: str | None = None,
    above: Sequence[str] = (),
) -> Reply:
    """Present a whole card (from browsing): notices, the summary, the source, sections."""
    loc = turn.locale
    lines = [*above, *notices(turn, card, cards, kkk)]
    lines += [f"**{card.name.get(loc)}**", card.summary.get(loc)]
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
    buttons = [
        (Button(button_label(c.name.get(loc)), f"{PREFIX}:card:{c.id}"),) for c in closest[:3]
    ]
    buttons.append((Button(turn.t("knowledge.section.browse"), f"{PREFIX}:browse"),))
    return Reply("\n".join(lines), buttons=tuple(buttons))
