"""The contract of the reminder ports on every backend: events, subscriptions, ledger, settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.events import Address
from bot.core.records import Event, FeedState
from bot.errors import StorageError
from tests.storage.conftest import ALA, KEY, OTHER, T0, Store

URL = "https://kalendarz.example.org/parp.ics"


class TestEventStore:
    async def test_feed_events_keep_their_feed(self, store: Store) -> None:
        feed = Event("feed-1", "Forum", "Forum", T0, "meeting", origin="feed", feed=URL)
        admin = Event(
            "adm-1", "Spotkanie", "Meeting", T0 + timedelta(days=1), "meeting", origin="admin"
        )
        await store.save_event(admin)
        await store.save_event(feed)
        assert await store.list_admin_events() == [feed, admin]

    async def test_an_event_is_replaced_by_id(self, store: Store) -> None:
        event = Event("adm-1", "Spotkanie", "Meeting", T0, "meeting", origin="admin")
        cancelled = Event(
            "adm-1", "Spotkanie", "Meeting", T0, "meeting", origin="admin", cancelled=True
        )
        await store.save_event(event)
        await store.save_event(cancelled)
        assert await store.list_admin_events() == [cancelled]


class TestSubscriptionStore:
    async def test_the_same_subscription_twice_is_one(self, store: Store) -> None:
        sub = await store.add_subscription(ALA.user_key, ALA, "new", "", None, T0)
        again = await store.add_subscription(ALA.user_key, ALA, "new", "", None, T0)
        assert again == sub and sub.kind == "new"
        other = await store.add_subscription(ALA.user_key, ALA, "new", "", "mazowieckie", T0)
        assert other.id > sub.id and other.region == "mazowieckie"
        assert await store.list_subscriptions() == [sub, other]

    async def test_an_empty_region_is_none(self, store: Store) -> None:
        sub = await store.add_subscription(ALA.user_key, ALA, "all", "", "", T0)
        assert sub.region is None
        assert await store.add_subscription(ALA.user_key, ALA, "all", "", None, T0) == sub

    async def test_only_the_chat_of_the_address_is_kept(self, store: Store) -> None:
        elsewhere = Address("telegram", "-100200", "someone-else", "W1")
        sub = await store.add_subscription(KEY, elsewhere, "all", "", None, T0)
        assert sub.address == Address("telegram", "-100200", "42", None)

    async def test_listed_per_owner_and_removed_by_their_owner_only(self, store: Store) -> None:
        mine = await store.add_subscription(KEY, ALA, "event", "e1", None, T0)
        theirs = await store.add_subscription(OTHER, ALA, "event", "e1", None, T0)
        second = await store.add_subscription(KEY, ALA, "category", "webinar", None, T0)
        assert await store.list_subscriptions(KEY) == [mine, second]
        assert await store.remove_subscription(OTHER, mine.id) is False
        assert await store.remove_subscription(KEY, mine.id) is True
        assert await store.remove_subscription(KEY, mine.id) is False
        assert await store.remove_subscriptions(KEY) == 1
        assert await store.list_subscriptions() == [theirs]

    async def test_ids_are_not_reused_after_a_removal(self, store: Store) -> None:
        first = await store.add_subscription(KEY, ALA, "event", "e1", None, T0)
        await store.remove_subscription(KEY, first.id)
        again = await store.add_subscription(KEY, ALA, "event", "e1", None, T0)
        assert again.id == first.id + 1

    async def test_a_kind_the_schema_does_not_know_is_refused(self, store: Store) -> None:
        with pytest.raises(StorageError):
            await store.add_subscription(KEY, ALA, "weekly", "", None, T0)
        assert await store.list_subscriptions() == []


class TestDeliveryLedger:
    async def test_a_delivery_is_claimed_once_per_owner(self, store: Store) -> None:
        assert await store.claim_delivery("ev|t|60", T0, KEY) is True
        assert await store.claim_delivery("ev|t|60", T0, KEY) is False
        assert await store.claim_delivery("ev|t|60", T0, OTHER) is True
        assert await store.claim_delivery("ev|t|60", T0) is True  # nobody's
        assert await store.claim_delivery("ev|t|60", T0) is False

    async def test_a_released_claim_can_be_made_again(self, store: Store) -> None:
        await store.claim_delivery("ev|t|60", T0, KEY)
        await store.claim_delivery("ev|t|60", T0, OTHER)
        await store.release_delivery("ev|t|60", KEY)
        await store.release_delivery("never-claimed", KEY)  # harmless
        assert await store.claim_delivery("ev|t|60", T0, KEY) is True
        assert await store.claim_delivery("ev|t|60", T0, OTHER) is False

    async def test_erasing_a_person_frees_only_their_claims(self, store: Store) -> None:
        await store.claim_delivery(f"ev|{KEY}|60", T0, KEY)
        await store.claim_delivery("digest|2026-W22", T0)
        await store.claim_delivery(f"ev|{OTHER}|60", T0, OTHER)
        await store.delete_user(KEY)
        assert await store.claim_delivery(f"ev|{KEY}|60", T0, KEY) is True
        assert await store.claim_delivery("digest|2026-W22", T0) is False
        assert await store.claim_delivery(f"ev|{OTHER}|60", T0, OTHER) is False


class TestReminderPrefs:
    async def test_offsets_are_stored_and_cleared(self, store: Store) -> None:
        assert await store.get_offsets(KEY) is None
        await store.set_offsets(KEY, (4320, 60))
        assert await store.get_offsets(KEY) == (4320, 60)
        assert await store.get_offsets(OTHER) is None
        await store.set_offsets(KEY, None)
        assert await store.get_offsets(KEY) is None

    async def test_status_dates_and_renewal_days(self, store: Store) -> None:
        assert await store.set_renewal(ALA.user_key, "kkk", date(2026, 3, 30)) is False
        await store.set_status_date(ALA.user_key, ALA, "kkk", date(2023, 2, 1), at=T0)
        assert await store.set_renewal(ALA.user_key, "kkk", date(2026, 3, 30)) is True
        [status] = await store.list_status_dates()
        assert (status.set_at, status.renew_on) == (T0, date(2026, 3, 30))
        await store.set_status_date(ALA.user_key, ALA, "kkk", date(2023, 12, 1), at=T0)
        [status] = await store.list_status_dates()
        assert status.renew_on is None and status.granted_on == date(2023, 12, 1)
        await store.set_status_date(ALA.user_key, ALA, "kkk", None)
        assert await store.list_status_dates() == []

    async def test_status_dates_are_listed_by_owner_and_kind(self, store: Store) -> None:
        await store.set_status_date(OTHER, ALA, "kkk", date(2024, 1, 1))
        await store.set_status_date(KEY, ALA, "esca_renewed", date(2024, 1, 1))
        await store.set_status_date(KEY, ALA, "esca", date(2023, 1, 1))
        listed = [(s.owner, s.kind) for s in await store.list_status_dates()]
        assert listed == [(OTHER, "kkk"), (KEY, "esca"), (KEY, "esca_renewed")]
        with pytest.raises(StorageError):
            await store.set_status_date(KEY, ALA, "gold", date(2024, 1, 1))
        assert len(await store.list_status_dates()) == 3


class TestFeedStore:
    async def test_feed_state_round_trip(self, store: Store) -> None:
        assert await store.get_feed(URL) is None
        state = FeedState(URL, '"v1"', "Mon, 02 Mar 2026 08:00:00 GMT", ok_at=T0, next_at=T0)
        await store.save_feed(state)
        assert await store.get_feed(URL) == state
        failing = FeedState(
            URL, '"v1"', None, T0, failures=2, failing_since=T0, problem="http", next_at=T0
        )
        await store.save_feed(failing)
        assert await store.get_feed(URL) == failing
