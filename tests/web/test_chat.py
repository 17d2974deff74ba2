"""The web view's chat side: ``/raport www``, the overview consent and ``/panel``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.markup import to_plain
from bot.core.web_ports import REPORT_LINK, SIGN_IN
from bot.core.weblinks import digest
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import ALICE, BOB, Chat, make_dispatcher

PUBLIC = "https://przeglad.example.org"
LINK = re.compile(r"https://przeglad\.example\.org/(report|panel/signin)/([A-Za-z0-9_-]{43})")


@pytest.fixture
def web(content: Content, store: MemoryStorage, clock: ManualClock) -> Dispatcher:
    """A dispatcher whose web view is on, with Alice as the administrator."""
    admins = f"{ALICE.platform}:{ALICE.user_id}"
    return make_dispatcher(content, store, clock, web_port=0, public_url=PUBLIC, admins=admins)


async def finish(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await answer_all(chat, {"2.1.1": "Nie spełnia"})


def secret_in(text: str) -> str:
    found = LINK.search(to_plain(text))
    assert found is not None, text
    return found.group(2)


async def test_the_first_finished_self_evaluation_asks_for_consent_once(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    chat = Chat(dispatcher)
    await finish(chat)
    assert "Wynik samooceny: NEGATYWNY" in chat.text
    assert "anonimowo" in chat.last[-1].text
    assert chat.buttons[-2:] == ["✅ Tak, uwzględnij anonimowo", "Nie uwzględniaj"]
    await chat.press("Tak, uwzględnij")
    assert "będą uwzględniane anonimowo" in chat.text
    consent = await store.get_consent(ALICE.user_key)
    assert consent is not None and consent.overview
    await chat.send("/ocena")
    await chat.press("Nowa samoocena")
    await chat.press("Tylko profil klastra")
    await chat.press("faza rozwoju")
    await answer_all(chat)
    assert "Wynik samooceny: POZYTYWNY" in chat.text
    assert "anonimowo" not in chat.text and "Nie uwzględniaj" not in chat.buttons
    rows = await store.overview_rows()
    assert [r.owner for r in rows] == [ALICE.user_key, ALICE.user_key]


async def test_a_typed_no_refuses_and_zgody_changes_it(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    chat = Chat(dispatcher)
    await finish(chat)
    await chat.send("nie")
    assert "nie będą uwzględniane" in chat.text
    assert await store.overview_rows() == []
    await chat.send("/zgody")
    assert "Zgoda na przegląd" in chat.text and "nie –" in chat.text
    await chat.press("Tak, uwzględnij")
    assert [r.owner for r in await store.overview_rows()] == [ALICE.user_key]
    await chat.send("/consents")
    assert "tak –" in chat.text


async def test_consent_before_any_self_evaluation_says_nothing_is_counted(
    dispatcher: Dispatcher,
) -> None:
    chat = Chat(dispatcher)
    await chat.send("/zgody")
    assert "jeszcze nie zdecydowano" in chat.text
    await chat.send("może")
    assert "Napisz „tak” lub „nie”" in chat.text


async def test_report_www_without_a_web_view_says_so(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await finish(chat)
    await chat.send("/raport www")
    assert "nie jest włączony" in chat.text
    assert LINK.search(chat.text) is None


async def test_report_www_gives_a_30_day_link_and_wylacz_revokes_it(
    web: Dispatcher, store: MemoryStorage, clock: ManualClock
) -> None:
    chat = Chat(web)
    await finish(chat)
    await chat.send("/raport www")
    assert "01.04.2026" in chat.text  # 2 March + 30 days
    token = await store.get_web_token(digest(secret_in(chat.text)))
    assert token is not None and token.kind == REPORT_LINK and token.owner == ALICE.user_key
    assert token.expires_at - token.created_at == timedelta(days=30)
    await chat.send("/raport www wylacz")
    assert "Wyłączone" in chat.text
    revoked = await store.get_web_token(token.digest)
    assert revoked is not None and revoked.revoked_at is not None
    await chat.send("/raport www wyłącz")
    assert "Nie masz działających linków" in chat.text
    await chat.send("/raport www cokolwiek")
    assert "/raport www wylacz" in chat.text


async def test_report_www_before_any_self_evaluation_offers_one(web: Dispatcher) -> None:
    chat = Chat(web)
    await chat.send("/raport www")
    assert LINK.search(chat.text) is None
    assert "Samoocena" in " ".join(chat.buttons)


async def test_panel_gives_an_admin_a_one_time_link_and_others_a_polite_no(
    web: Dispatcher, store: MemoryStorage
) -> None:
    bob = Chat(web, BOB)
    await bob.send("/panel")
    assert "tylko dla administratorów" in bob.text
    assert LINK.search(bob.text) is None
    alice = Chat(web)
    await alice.send("/panel")
    assert "jednorazowy" in alice.text and "15 minut" in alice.text
    token = await store.get_web_token(digest(secret_in(alice.text)))
    assert token is not None and token.kind == SIGN_IN
    assert token.expires_at - token.created_at == timedelta(minutes=15)


async def test_export_and_erasure_cover_consent_and_links(
    web: Dispatcher, store: MemoryStorage
) -> None:
    chat = Chat(web)
    await finish(chat)
    await chat.press("Tak, uwzględnij")
    await chat.send("/raport www")
    secret = secret_in(chat.text)
    await chat.send("/moje_dane")
    document = chat.last[0].document
    assert document is not None
    exported = document.data.decode()
    assert '"overview": true' in exported and secret not in exported
    assert digest(secret) not in exported
    await chat.send("/usun_dane")
    await chat.press("Tak, usuń")
    assert await store.get_consent(ALICE.user_key) is None
    assert await store.get_web_token(digest(secret)) is None
    assert await store.overview_rows() == []


async def test_a_link_whose_secret_holds_markup_characters_shows_whole(
    web: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # URL-safe secrets that hold what the chat markup reads as italics ("__", "_").
    secrets = iter(["ab__cd_ef_" + "x" * 33, "__" + "y" * 39 + "__"])
    monkeypatch.setattr("bot.core.weblinks.secrets.token_urlsafe", lambda n: next(secrets))
    chat = Chat(web)
    await chat.send("/panel")
    assert f"{PUBLIC}/panel/signin/ab__cd_ef_{'x' * 33}" in to_plain(chat.text)
    await finish(chat)
    await chat.send("/raport www")
    assert f"{PUBLIC}/report/__{'y' * 39}__" in to_plain(chat.text)
