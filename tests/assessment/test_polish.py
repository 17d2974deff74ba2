"""The self-evaluation's sentences read as Polish (and English) for every phase.

Known-bad patterns from issue 16: a phase title quoted inside a sentence about the phase
("W fazie „faza rozwoju”"), "Faza: faza rozwoju", a numeral that breaks its noun ("dla 1
standardów").
"""

from __future__ import annotations

import re

import pytest

from bot.core.dispatcher import Dispatcher
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import Chat

BAD = [
    re.compile(r"fazie „faza"),
    re.compile(r"[Ff]aza: faza"),
    re.compile(r"\bdla 1 standardów"),
    re.compile(r"in the \w+ phase phase"),
    re.compile(r"Phase: \w+ phase"),
    re.compile(r"for 1 standards"),
]


@pytest.mark.parametrize("phase", ["faza embrionalna", "faza rozwoju", "faza dojrzałości"])
async def test_every_screen_of_a_self_evaluation_reads_well(
    dispatcher: Dispatcher, phase: str
) -> None:
    chat = Chat(dispatcher)
    seen: list[str] = []
    await start_to_first_standard(chat, phase)
    seen.append(chat.text)
    await chat.press_payload("a1:about")
    seen.append(chat.text)
    await chat.send("/postep")
    seen.append(chat.text)
    await chat.send("/zmien 2.1.1")
    seen.append(chat.text)
    await answer_all(chat, {"2.1.1": "Nie spełnia"})
    seen.append(chat.text)
    for text in seen:
        assert not [p.pattern for p in BAD if p.search(text)], text
    # The phase is named the way Polish names it after "w".
    where = {"faza embrionalna": "w fazie embrionalnej", "faza rozwoju": "w fazie rozwoju"}
    assert where.get(phase, "w fazie dojrzałości") in "\n".join(seen)
