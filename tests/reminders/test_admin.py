"""The administrators' flows: plain button labels, editing either title, steps asked in order."""

from __future__ import annotations

from typing import Any

from bot.core.ports import SessionState
from bot.core.records import Event
from bot.reminders.admin_steps import PLANS, Flow, Progress, Step, after
from tests.helpers import ALICE, BOB
from tests.reminders.test_flows import T0, add_event, world  # noqa: F401 - the fixture

MARKUP_TITLE = "Webinar (FENG) – nabór 2.17 i *konsultacje*"


async def test_buttons_show_an_event_title_as_written(world: Any) -> None:  # noqa: F811
    await world.store.save_event(
        Event("adm-feng", MARKUP_TITLE, "FENG webinar", T0.replace(day=20), "training", "admin")
    )
    await world.bob.press_payload("r1:sub:e:adm-feng")
    await world.bob.send("/przypomnienia")
    assert "❌ wydarzenie: Webinar (FENG) – nabór…" in world.bob.buttons  # cut at a word
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    assert MARKUP_TITLE in world.alice.buttons
    await world.alice.send("/admin")
    await world.alice.press("Ogłoszenie")
    assert MARKUP_TITLE in world.alice.buttons
    assert not any("\\" in label for label in world.alice.buttons)


async def test_a_long_title_on_a_button_is_cut_at_a_word(world: Any) -> None:  # noqa: F811
    title = "Spotkanie (online) dla koordynatorów klastrów: *standardy* ESCA i KKK w praktyce"
    await world.store.save_event(
        Event("adm-long", title, title, T0.replace(day=20), "meeting", "admin")
    )
    await world.alice.send("/admin")
    await world.alice.press("Odwołaj wydarzenie")
    label = next(b for b in world.alice.buttons if b.startswith("Spotkanie"))
    assert label == "Spotkanie (online) dla koordynatorów klastrów: *standardy*…"
    assert len(label) <= 64


async def test_editing_the_polish_title_keeps_the_english_one(world: Any) -> None:  # noqa: F811
    await add_event(world)  # "Spotkanie klastrów" / "Cluster meeting"
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Tytuł")
    await world.alice.send("Forum klastrów")
    assert "Zapisane: Forum klastrów" in world.alice.text
    [event] = await world.store.list_admin_events()
    assert (event.title_pl, event.title_en) == ("Forum klastrów", "Cluster meeting")
    await world.bob.send("/language en")
    await world.bob.send("/events")
    assert "Cluster meeting" in world.bob.text and "Forum" not in world.bob.text


async def test_the_english_title_can_be_edited(world: Any) -> None:  # noqa: F811
    await add_event(world)
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Tytuł po angielsku")
    assert "Tytuł po angielsku (albo „-”, jeśli taki sam)" in world.alice.text
    await world.alice.send("Cluster forum")
    [event] = await world.store.list_admin_events()
    assert (event.title_pl, event.title_en) == ("Spotkanie klastrów", "Cluster forum")
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Tytuł po angielsku")
    await world.alice.send("-")  # the same as the Polish one
    [event] = await world.store.list_admin_events()
    assert event.title_en == "Spotkanie klastrów"


async def test_an_edited_place_is_checked_and_subscribers_hear_it_once(
    world: Any,  # noqa: F811
) -> None:
    await add_event(world)
    await world.bob.send("/wydarzenia")
    await world.bob.press("Przypomnij mi")
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Miejsce")
    await world.alice.send("Ł" * 301)
    assert "To za długie (limit: 300 znaków)" in world.alice.text
    assert "Miejsce (albo „-”)" in world.alice.text  # the same question again
    await world.alice.send("Sala *B* (parter)")
    assert "Powiadomiono 1 os." in world.alice.text
    notices = [t for a, t in world.recorder.sent if a.user_id == "bob"]
    assert notices == [
        "🔁 Zmiana: **Spotkanie klastrów** – 12.03.2026, 10:00, Sala \\*B\\* \\(parter\\)."
    ]


async def test_a_question_asked_meanwhile_leaves_the_step_waiting(world: Any) -> None:  # noqa: F811
    await world.alice.send("/admin")
    await world.alice.press("Dodaj wydarzenie")
    await world.alice.send("Warsztaty")
    await world.alice.press_payload("r1:adm:save")  # a button of no step now
    assert "Ten przycisk jest już nieaktywny." in world.alice.text
    await world.alice.send("/admin")
    await world.alice.press("Dodaj wydarzenie")
    await world.alice.press_payload("r1:adm:cat:meeting")  # the category before the title
    assert "Wydarzenia – panel administratora" in world.alice.text
    assert await world.store.list_admin_events() == []


async def test_a_session_from_older_code_starts_over_politely(world: Any) -> None:  # noqa: F811
    old = SessionState(step="remind.admin", data={"flow": "add", "stage": "title_en"})
    await world.store.save_session(ALICE.user_key, old)
    await world.alice.send("Cluster workshop")
    assert "panel administratora" in world.alice.text
    assert await world.store.list_admin_events() == []


async def test_a_non_admin_in_the_middle_of_a_flow_is_refused(world: Any) -> None:  # noqa: F811
    progress = Progress(Flow.ADD, Step.TITLE)
    await world.store.save_session(BOB.user_key, SessionState("remind.admin", progress.dump()))
    await world.bob.send("Moje wydarzenie")
    assert "tylko dla administratorów" in world.bob.text
    assert await world.store.list_admin_events() == []


def test_each_flow_asks_its_steps_in_order_and_then_ends() -> None:
    for flow, plan in PLANS.items():
        progress = Progress(flow, plan[0])
        asked = [progress.step]
        while (following := after(progress)) is not None:
            progress.step = following
            asked.append(following)
        assert tuple(asked) == plan
    editing = Progress(Flow.EDIT, Step.FIELD, {"field": "title_en"})
    assert after(editing) == Step.TITLE_EN
    editing.step = Step.TITLE_EN
    assert after(editing) is None


async def test_english_admins_get_english_questions(world: Any) -> None:  # noqa: F811
    await add_event(world)
    await world.alice.send("/language en")
    await world.alice.send("/admin")
    await world.alice.press("Change an event")
    await world.alice.press("Cluster meeting")
    assert {"Polish title", "English title", "Date and time"} <= set(world.alice.buttons)
