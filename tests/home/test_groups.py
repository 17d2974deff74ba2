"""Personal answers never land in a group or channel: they go to the user's private chat."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

import pytest

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Command, Incoming, Reply, Text
from bot.errors import RecipientUnavailable
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.assessment.test_collab import code_in
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import Chat

SENT_PRIVATELY = "Napisałem do Ciebie prywatnie."
FROM_GROUP = "Odpowiadam tutaj na polecenie z czatu grupowego"
#: Alice writes in a Telegram group (chat -100) and privately (chat = her id).
GROUP = Address("telegram", "-100", "501")
PRIVATE = Address("telegram", "501", "501")


class Inbox:
    """The platform's messenger, as the outbox sees it: records what reaches whom."""

    def __init__(self) -> None:
        self.delivered: list[tuple[Address, list[Reply]]] = []
        self.refuse = False

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        if self.refuse:
            raise RecipientUnavailable("Forbidden: bot can't initiate conversation with a user")
        self.delivered.append((address, list(replies)))

    def texts(self) -> str:
        return "\n".join(r.text for _, replies in self.delivered for r in replies)

    def documents(self) -> list[str]:
        return [r.document.name for _, rs in self.delivered for r in rs if r.document is not None]


class GroupChat(Chat):
    """A user's messages from a chat others read."""

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        return await super()._handle(dataclasses.replace(incoming, private=False))


@pytest.fixture
def world(content: Content, clock: ManualClock) -> tuple[Services, MemoryStorage, Inbox]:
    store = MemoryStorage()
    services = build_services(content, store, clock, Settings())
    inbox = Inbox()
    services.outbox.register("telegram", inbox)
    return services, store, inbox


async def finished(services: Services) -> Chat:
    """Alice with a finished self-evaluation, in her private chat."""
    alice = Chat(services.dispatcher, PRIVATE)
    await start_to_first_standard(alice)
    await answer_all(alice, {"2.1.1": "Nie spełnia"})
    return alice


@pytest.mark.parametrize(
    ("command", "private_part"),
    [
        ("/moje_dane", "moje-dane.json"),
        ("/raport", "Wynik samooceny"),
        ("/raport pdf", ".pdf"),
        ("/eksport", ".csv"),
        ("/polacz", "Kod połączenia"),
        ("/zespol", "Kod zaproszenia"),
        ("/plan", "Plan działań"),
        ("/gotowosc", "Krajowy Klaster Kluczowy"),
        ("/postep", "Postęp samooceny"),
    ],
)
async def test_personal_commands_in_a_group_answer_privately(
    world: tuple[Services, MemoryStorage, Inbox], command: str, private_part: str
) -> None:
    services, _store, inbox = world
    await finished(services)
    group = GroupChat(services.dispatcher, GROUP)
    replies = await group.send(command)
    # The group sees one short line: no text of the answer, no file, no buttons.
    assert [(r.text, r.buttons, r.document, r.image) for r in replies] == [
        (SENT_PRIVATELY, (), None, None)
    ]
    [(address, [opening]), (again, _answer)] = inbox.delivered
    assert FROM_GROUP in opening.text and again == address
    assert address.platform == "telegram" and address.user_id == "501" and address.chat_id != "-100"
    assert private_part in inbox.texts() + " ".join(inbox.documents())


async def test_the_export_reaches_the_private_chat_whole(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, inbox = world
    await finished(services)
    await GroupChat(services.dispatcher, GROUP).send("/moje_dane")
    [_opening, (_address, [reply])] = inbox.delivered
    assert reply.document is not None
    exported = json.loads(reply.document.data)
    assert exported["assessments"][0]["profile"]["name"] == "Klaster Testowy"


async def test_a_user_the_bot_cannot_write_to_gets_a_pointer_and_no_data(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, inbox = world
    await finished(services)
    inbox.refuse = True
    replies = await GroupChat(services.dispatcher, GROUP).send("/moje_dane")
    assert len(replies) == 1 and replies[0].document is None
    assert "Otwórz rozmowę ze mną" in replies[0].text and "/start" in replies[0].text
    assert "Klaster Testowy" not in replies[0].text


async def test_a_code_sent_in_a_group_is_not_used_up_when_the_bot_cannot_write_privately(
    world: tuple[Services, MemoryStorage, Inbox], content: Content
) -> None:
    services, store, inbox = world
    other = Chat(services.dispatcher, Address("slack", "D1", "U1", "T1"))
    await other.send("/polacz")
    code = code_in(other.text)
    inbox.refuse = True
    replies = await GroupChat(services.dispatcher, GROUP).send(f"/polacz {code}")
    assert "Otwórz rozmowę ze mną" in replies[0].text
    inbox.refuse = False
    alice = Chat(services.dispatcher, PRIVATE)
    await alice.send(f"/polacz {code}")  # repeated privately, as the pointer said: still good
    assert "Połączyć to konto z kontem Slack" in alice.text
    assert await store.canonical(PRIVATE.user_key) is None


async def test_a_personal_button_pressed_in_a_group_answers_privately(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, inbox = world
    group = GroupChat(services.dispatcher, GROUP)
    await group.send("/start")
    assert "Dzień dobry" in group.text  # the menu is fine in a group
    replies = await group.press("Samoocena")
    assert [r.text for r in replies] == [SENT_PRIVATELY]
    assert "samoocen" in inbox.texts().lower()


async def test_shared_commands_are_answered_in_the_group(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, inbox = world
    group = GroupChat(services.dispatcher, GROUP)
    for command, expected in [
        ("/jezyk en", "we will talk in English"),
        ("/jezyk pl", "rozmawiamy po polsku"),
        ("/pomoc", "Asystent koordynatora klastra"),
        ("/wydarzenia", "wydarze"),
        ("/wsparcie", "Wybierz"),
    ]:
        await group.send(command)
        assert expected in group.text, command
    assert inbox.delivered == []


async def test_text_in_a_group_is_a_question_and_leaves_the_private_step_alone(
    world: tuple[Services, MemoryStorage, Inbox], content: Content
) -> None:
    services, store, _inbox = world
    alice = Chat(services.dispatcher, PRIVATE)
    await alice.send("/ocena")
    assert "Jak nazywa się klaster?" in alice.text  # the first profile question waits
    group = GroupChat(services.dispatcher, GROUP)
    await group.send("ile można dostać z 2.3.3?")
    assert "Źródło" in group.text  # answered as a question ...
    assert "Jak nazywa się klaster?" not in group.text  # ... without the private question
    await alice.send("Klaster Pomorski")  # the private step still takes the name
    record = (await store.list_assessments(PRIVATE.user_key))[0]
    assert record.profile.get("name") == "Klaster Pomorski"


async def test_refused_input_in_a_group_does_not_repeat_the_private_question(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, _inbox = world
    alice = await finished(services)
    await alice.send("/zmien 2.1.1")
    assert "2.1.1" in alice.text
    replies = await services.dispatcher.handle(Incoming(GROUP, Text(""), private=False))
    assert "2.1.1" not in "\n".join(r.text for r in replies)
    assert "pusta" in replies[0].text


async def test_a_group_answer_does_not_tell_the_group_about_the_cluster(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, _inbox = world
    await finished(services)  # the profile says: no KKK status
    question = "ile można dostać z 2.3.3?"
    private = await services.dispatcher.handle(Incoming(PRIVATE, Text(question), private=True))
    assert "według profilu Twój klaster nie ma statusu KKK" in private[0].text
    group = await services.dispatcher.handle(Incoming(GROUP, Text(question), private=False))
    assert "według profilu" not in group[0].text and "Źródło" in group[0].text


async def test_a_subscription_made_from_a_group_reminds_privately(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, store, inbox = world
    group = GroupChat(services.dispatcher, GROUP)
    await group.send("/wydarzenia")
    replies = await group.press("Przypominaj o wszystkim")
    assert [r.text for r in replies] == [SENT_PRIVATELY]
    # The region question went privately; even its answer pressed in the group stays there.
    [_opening, (address, question)] = inbox.delivered
    group.last = question
    replies = await group.press("Cała Polska")
    assert [r.text for r in replies] == [SENT_PRIVATELY]
    assert "przypomnę o wszystkich wydarzeniach" in inbox.texts()
    [subscription] = await store.list_subscriptions(GROUP.user_key)
    assert address.chat_id != GROUP.chat_id  # the question went privately
    assert subscription.address.chat_id != GROUP.chat_id  # and so will the reminders


async def test_a_deep_link_code_typed_in_a_group_is_handled_privately(
    world: tuple[Services, MemoryStorage, Inbox],
) -> None:
    services, _store, inbox = world
    replies = await services.dispatcher.handle(
        Incoming(GROUP, Command("start", ("ABCD2345",)), private=False)
    )
    assert [r.text for r in replies] == [SENT_PRIVATELY]
    assert "nieprawidłowy" in inbox.texts()
