"""Linking two accounts: asked, confirmed, told to the other side, undone from either side."""

from __future__ import annotations

import pytest

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.assessment.test_collab import code_in
from tests.assessment.test_conversation import start_to_first_standard
from tests.helpers import Chat
from tests.home.test_groups import Inbox

OWNER = Address("telegram", "501", "501")
ALIAS = Address("slack", "D7", "U7", "T1")
STRANGER = Address("slack", "D8", "U8", "T1")


@pytest.fixture
def world(content: Content, clock: ManualClock) -> tuple[Services, MemoryStorage, Inbox, Inbox]:
    store = MemoryStorage()
    services = build_services(content, store, clock, Settings(admins="telegram:501,slack:T1:U9"))
    telegram, slack = Inbox(), Inbox()
    services.outbox.register("telegram", telegram)
    services.outbox.register("slack", slack)
    return services, store, telegram, slack


async def linked(services: Services) -> tuple[Chat, Chat]:
    """The owner (Telegram, with a started self-evaluation) and the Slack account linked to it."""
    owner, alias = Chat(services.dispatcher, OWNER), Chat(services.dispatcher, ALIAS)
    await start_to_first_standard(owner)
    await owner.send("/polacz")
    await alias.send(f"/polacz {code_in(owner.text)}")
    await alias.press("Tak, połącz")
    return owner, alias


async def test_redeeming_a_code_names_the_account_and_waits_for_a_yes(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, telegram, _slack = world
    owner, alias = Chat(services.dispatcher, OWNER), Chat(services.dispatcher, ALIAS)
    await owner.send("/polacz")
    await alias.send(f"/polacz {code_in(owner.text)}")
    assert "Połączyć to konto z kontem Telegram (ID 501)?" in alias.text
    assert "zobaczy jego właściciel" in alias.text
    assert await store.canonical(ALIAS.user_key) is None  # nothing linked before the yes
    assert telegram.delivered == []
    await alias.press("Nie łącz")
    assert "nie połączyłem kont" in alias.text
    assert await store.canonical(ALIAS.user_key) is None
    await alias.press_payload("l1:yes")  # a stale press after the no
    assert "nieaktywny" in alias.text
    assert await store.canonical(ALIAS.user_key) is None


async def test_a_typed_yes_confirms_and_the_owner_is_told(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, telegram, _slack = world
    owner, alias = Chat(services.dispatcher, OWNER), Chat(services.dispatcher, ALIAS)
    await owner.send("/polacz")
    await alias.send(f"/polacz {code_in(owner.text)}")
    # Not an answer: the question is answered, then the confirmation asked again.
    await alias.send("ile można dostać z 2.3.3?")
    assert "8 mln zł" in alias.text and await store.canonical(ALIAS.user_key) is None
    assert "Wracamy do łączenia kont" in alias.text
    assert "Połączyć to konto z kontem Telegram (ID 501)?" in alias.last[-1].text
    await alias.send("Tak")
    assert "Połączono z kontem Telegram (ID 501)" in alias.text
    assert await store.canonical(ALIAS.user_key) == OWNER.user_key
    [(address, [notice])] = telegram.delivered
    assert address.user_id == "501"
    assert "Konto Slack (U7 w przestrzeni T1) zostało połączone z Twoim kontem" in notice.text
    assert "/rozlacz" in notice.text


async def test_the_linked_account_unlinks_itself_and_the_owner_hears_of_it(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, telegram, _slack = world
    _owner, alias = await linked(services)
    await alias.send("/ocena")
    assert "Klaster Testowy" in alias.text  # while linked: the owner's self-evaluation
    await alias.send("/rozlacz")
    assert "nie jest już połączone z kontem Telegram (ID 501)" in alias.text
    assert await store.canonical(ALIAS.user_key) is None
    assert "Konto Slack (U7 w przestrzeni T1) nie jest już połączone" in telegram.texts()
    await alias.send("/ocena")
    assert "Klaster Testowy" not in alias.text  # its own, empty, data again
    await alias.send("/rozlacz")
    assert "nie jest połączone z żadnym innym" in alias.text


async def test_the_owner_unlinks_every_account_linked_to_it(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, _telegram, slack = world
    owner, _alias = await linked(services)
    await owner.send("/unlink")
    assert "Slack (U7 w przestrzeni T1)" in owner.text
    assert await store.list_aliases(OWNER.user_key) == []
    assert "Konto Telegram (ID 501) nie jest już połączone" in slack.texts()


async def test_erasing_through_a_link_needs_the_owners_own_account(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, telegram, _slack = world
    owner, alias = await linked(services)
    await alias.send("/usun_dane")
    assert "należą do konta Telegram (ID 501)" in alias.text
    assert alias.last[0].buttons == ()  # no erase button on the linked account
    await alias.press_payload("d1:erase")  # forged or stale: refused
    assert "Usunąć je można tylko z tamtego konta" in alias.text
    assert await store.list_assessments(OWNER.user_key) != []
    # The owner got the question on their own account, and their yes erases.
    [(_address, [question])] = [d for d in telegram.delivered if "Usunąć" in d[1][0].text]
    asked = "Konto Slack (U7 w przestrzeni T1), połączone z Twoim, prosi o usunięcie"
    assert asked in question.text
    owner.last = [question]
    await owner.press("Tak, usuń")
    assert "Usunięte" in owner.text
    assert await store.list_assessments(OWNER.user_key) == []


async def test_admin_rights_do_not_follow_a_link(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, _store, _telegram, _slack = world
    owner, alias = await linked(services)  # the owner, telegram:501, is an admin
    await owner.send("/admin")
    assert "panel administratora" in owner.text
    await alias.send("/admin")
    assert "tylko dla administratorów" in alias.text
    await alias.press_payload("r1:adm:add")
    assert "tylko dla administratorów" in alias.text


async def test_a_slack_admin_is_one_user_of_one_workspace(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, _store, _telegram, _slack = world
    admin = Chat(services.dispatcher, Address("slack", "D9", "U9", "T1"))
    await admin.send("/admin")
    assert "panel administratora" in admin.text
    namesake = Chat(services.dispatcher, Address("slack", "D9", "U9", "T2"))
    await namesake.send("/admin")
    assert "tylko dla administratorów" in namesake.text


async def test_an_account_others_are_linked_to_cannot_be_linked_on(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, _telegram, _slack = world
    owner, _alias = await linked(services)
    stranger = Chat(services.dispatcher, STRANGER)
    await stranger.send("/polacz")
    await owner.send(f"/polacz {code_in(stranger.text)}")
    assert "Najpierw je odłącz" in owner.last[0].text and owner.last[0].buttons == ()
    assert await store.canonical(OWNER.user_key) is None
    assert await store.canonical(ALIAS.user_key) == OWNER.user_key


async def test_two_accounts_linking_each_other_do_not_make_a_loop(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, _telegram, _slack = world
    one, two = Chat(services.dispatcher, OWNER), Chat(services.dispatcher, ALIAS)
    await one.send("/polacz")
    await two.send("/polacz")
    code_one, code_two = code_in(one.text), code_in(two.text)
    await one.send(f"/polacz {code_two}")
    await two.send(f"/polacz {code_one}")
    await one.press("Tak, połącz")
    assert await store.canonical(OWNER.user_key) == ALIAS.user_key
    await two.press("Tak, połącz")  # would close the loop: refused
    assert "Z tym kontem są już połączone inne konta" in two.text
    assert await store.canonical(ALIAS.user_key) is None


async def test_a_linked_account_is_not_linked_on(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, _telegram, _slack = world
    _owner, alias = await linked(services)
    stranger = Chat(services.dispatcher, STRANGER)
    await stranger.send("/polacz")
    await alias.send(f"/polacz {code_in(stranger.text)}")
    assert "już połączone z kontem Telegram (ID 501)" in alias.last[0].text
    assert alias.last[0].buttons == ()
    assert await store.canonical(ALIAS.user_key) == OWNER.user_key


async def test_only_the_account_that_asked_confirms_and_only_while_it_still_may(
    world: tuple[Services, MemoryStorage, Inbox, Inbox],
) -> None:
    services, store, _telegram, _slack = world
    owner, stranger = Chat(services.dispatcher, OWNER), Chat(services.dispatcher, STRANGER)
    third = Chat(services.dispatcher, Address("console", "c3", "third"))
    await owner.send("/polacz")
    await stranger.send(f"/polacz {code_in(owner.text)}")  # the stranger asks to link ...
    # ... and meanwhile a third account links to the stranger, then presses the stranger's yes.
    await stranger.send("/polacz")
    await third.send(f"/polacz {code_in(stranger.text)}")
    await third.press("Tak, połącz")
    assert await store.canonical(third.address.user_key) == STRANGER.user_key
    await third.press_payload("l1:yes")  # speaks for the stranger, but did not ask
    assert "nieaktywny" in third.text
    stranger.last = []
    await stranger.press_payload("l1:yes")  # the stranger's own yes: others now hang on it
    assert "Z tym kontem są już połączone inne konta" in stranger.text
    assert await store.canonical(STRANGER.user_key) is None
