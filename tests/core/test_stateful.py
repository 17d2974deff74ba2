"""Random sequences of commands, texts and button presses from several users, privately and
in a group, with invariants: no exception escapes, every input gets a reply, a user's answers
never exceed the standards, and progress never moves backwards except by an edit."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.app import build_services
from bot.config import REPO_CONTENT_DIR, Settings
from bot.core.clock import ManualClock
from bot.core.events import Action, Address, Command, Incoming, Reply, Text
from bot.loader import load_content
from storage.memory import MemoryStorage

CONTENT = load_content(REPO_CONTENT_DIR)
USERS = [Address("telegram", str(n), str(n)) for n in (1, 2, 3)]
COMMANDS = [
    "start",
    "ocena",
    "postep",
    "raport",
    "zmien",
    "pomoc",
    "wydarzenia",
    "plan",
    "gotowosc",
    "nieznane",
]
TEXTS = ["Klaster", "45", "2015", "hej", "ile można dostać z 2.3.3?", "", "x" * 5000, "🙂", "1.1.1"]


class Conversations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        from datetime import UTC, datetime

        self.loop = asyncio.new_event_loop()
        self.store = MemoryStorage()
        self.clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
        self.dispatcher = build_services(CONTENT, self.store, self.clock, Settings()).dispatcher
        self.last: dict[Address, list[Reply]] = {u: [] for u in USERS}
        self.answered: dict[Address, int] = dict.fromkeys(USERS, 0)
        self.edited: set[Address] = set()

    def teardown(self) -> None:
        self.loop.close()

    def send(self, user: Address, incoming: Incoming) -> None:
        replies = self.loop.run_until_complete(self.dispatcher.handle(incoming))
        assert replies, incoming  # every input gets at least one reply
        assert all(r.text or r.image or r.document for r in replies)
        self.last[user] = replies

    @rule(
        user=st.sampled_from(USERS),
        name=st.sampled_from(COMMANDS),
        arg=st.sampled_from(["", "1.1.1", "pdf", "9.9"]),
        private=st.booleans(),
    )
    def command(self, user: Address, name: str, arg: str, private: bool) -> None:
        if name == "zmien" and arg:
            self.edited.add(user)
        self.send(user, Incoming(user, Command(name, (arg,) if arg else ()), private=private))

    @rule(user=st.sampled_from(USERS), body=st.sampled_from(TEXTS), private=st.booleans())
    def text(self, user: Address, body: str, private: bool) -> None:
        self.send(user, Incoming(user, Text(body), private=private))

    @precondition(lambda self: any(r.buttons for replies in self.last.values() for r in replies))
    @rule(user=st.sampled_from(USERS), pick=st.integers(0, 40), foreign=st.booleans())
    def press(self, user: Address, pick: int, foreign: bool) -> None:
        source = next((u for u in USERS if u != user), user) if foreign else user
        buttons = [b for r in self.last[source] for b in r.all_buttons if b.payload]
        if not buttons:
            return
        payload = buttons[pick % len(buttons)].payload
        if ":b" in payload[-2:] or payload.endswith(":menu:restart") or ":sub:" in payload:
            self.edited.add(user)  # "Back" and "start again" move progress backwards on purpose
        self.send(user, Incoming(user, Action(payload), private=True))

    @rule(user=st.sampled_from(USERS), payload=st.text(max_size=70))
    def forged(self, user: Address, payload: str) -> None:
        self.send(user, Incoming(user, Action(payload), private=True))

    @invariant()
    def answers_stay_within_the_questionnaire(self) -> None:
        standards = {s.id for s in CONTENT.questionnaires[0].standards}
        for user in USERS:
            records = self.loop.run_until_complete(self.store.list_assessments(user.user_key))
            for record in records:
                answers = self.loop.run_until_complete(self.store.list_answers(record.id))
                assert set(answers) <= standards
                assert len(answers) <= len(standards)

    @invariant()
    def progress_moves_forward_unless_edited(self) -> None:
        for user in USERS:
            records = self.loop.run_until_complete(self.store.list_assessments(user.user_key))
            current = next((r for r in records if r.status == "in_progress"), None)
            count = (
                len(self.loop.run_until_complete(self.store.list_answers(current.id)))
                if current
                else 0
            )
            if current is None or user in self.edited:
                self.answered[user] = count
                self.edited.discard(user)
                continue
            assert count >= self.answered[user], (user, count, self.answered[user])
            self.answered[user] = count


Conversations.TestCase.settings = settings(
    max_examples=25, stateful_step_count=40, deadline=None, suppress_health_check=list(HealthCheck)
)
TestConversations = Conversations.TestCase
