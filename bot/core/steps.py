"""A waiting step and the messages around it: questions asked meanwhile, breaks, ``/anuluj``.

The dispatcher feeds a feature's waiting step only what fits it: a question asked in the
middle ("ile można dostać z 2.3.3?" at the cluster-name question) is answered and the step
asked again; a step left for more than ``IDLE_AFTER`` is not fed at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.events import Reply
from bot.core.feature import Feature, FeatureBase, Fit, Handler, Turn, prepend
from bot.core.folding import fold
from bot.core.i18n import SUPPORTED_LOCALES, Texts
from bot.core.inputs import is_number_like, question_word
from bot.core.ports import SessionState

#: A step left for longer than this is not fed the next message: the user is asked first.
IDLE_AFTER = timedelta(hours=12)
#: Where the dispatcher notes, in a waiting step's data, when the user last wrote.
ACTIVE_KEY = "_active"
#: How precisely that is noted: a newer note than this is kept, so a turn that changes
#: nothing else writes nothing.
ACTIVE_PRECISION = timedelta(hours=1)
#: The commands that leave whatever step waits, in every feature.
CANCEL_COMMANDS = ("anuluj", "cancel")


def folded_words(texts: Texts, key: str) -> frozenset[str]:
    """The comma-separated words of ``key`` in every language, folded."""
    return frozenset(
        fold(word.strip())
        for locale in SUPPORTED_LOCALES
        for word in texts.get(locale, key).split(",")
        if word.strip()
    )


class Detour:
    """Whether a message typed while a step waits asks something else instead."""

    def __init__(self, texts: Texts, topical: Callable[[str], bool] | None = None) -> None:
        #: Whether a text names something the assistant answers about (a known instrument).
        self._topical = topical or (lambda _text: False)
        self._interrogatives = folded_words(texts, "flow.question_words")
        self._greetings = folded_words(texts, "home.greeting_words")
        self._weak = folded_words(texts, "flow.weak_question_words")
        self._fillers = frozenset(
            tuple(phrase.split()) for phrase in folded_words(texts, "flow.filler_words")
        )

    def asks(self, text: str, fit: Fit) -> bool:
        """A question mark, a question word first (after "a", "dzień dobry"), a greeting.

        Where the step expects something else (``Fit.NO``), a known instrument's name too.
        Any text would do for a name (``Fit.FREE``): a question word that a name may start
        with ("co", "kto") counts only next to a known instrument, so "Co-Working Klaster"
        stays a name.
        """
        if "?" in text or fold(text.strip(" !.?,")) in self._greetings:
            return True
        opener = question_word(text, self._interrogatives, self._fillers)
        if fit is Fit.FREE:
            return opener is not None and (opener not in self._weak or self._names(text))
        return opener is not None or self._names(text)

    def _names(self, text: str) -> bool:
        """Whether the text names a known instrument (a bare number or date never does)."""
        return not is_number_like(text) and self._topical(text)


def mark_active(session: SessionState, now: datetime, before: SessionState) -> None:
    """Note in a waiting step's data that the user wrote now (to ``ACTIVE_PRECISION``).

    ``before`` is the state the turn started from: its note is kept while it is recent, so
    that answering one standard after another does not write the session every time.
    """
    stamp = before.data.get(ACTIVE_KEY)
    recent = isinstance(stamp, str) and not is_idle(before, now, ACTIVE_PRECISION)
    session.data[ACTIVE_KEY] = stamp if recent else now.isoformat()


def is_idle(session: SessionState, now: datetime, after: timedelta = IDLE_AFTER) -> bool:
    """Whether the user left the waiting step more than ``after`` ago."""
    stamp = session.data.get(ACTIVE_KEY)
    if not isinstance(stamp, str):
        return False
    try:
        since = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    return now - since > after


def back_to(turn: Turn, again: list[Reply]) -> list[Reply]:
    """The waiting step's question ``again``, under a line saying we go back to it."""
    if not again or turn.session.step is None:
        return again
    key = f"flow.back.{turn.session.step.replace('.', '_')}"
    return prepend(turn.t(key if turn.texts.has(key) else "flow.back.default"), again)


class CancelFeature(FeatureBase):
    """``/anuluj`` (``/cancel``): leaves the waiting step through its feature, anywhere."""

    name = "flow"
    action_prefix = "f0"

    def __init__(self, owner: Callable[[Turn], Feature | None]) -> None:
        self._owner = owner

    def commands(self) -> dict[str, Handler]:
        """``/anuluj`` and ``/cancel``."""
        return dict.fromkeys(CANCEL_COMMANDS, self.cancel)

    async def cancel(self, turn: Turn) -> list[Reply]:
        """Leave the waiting step through its feature, or say that nothing waits."""
        owner = self._owner(turn)
        if owner is None:
            turn.session.step = None
            return [turn.menu_reply("flow.nothing_to_cancel")]
        return await owner.cancel(turn)
