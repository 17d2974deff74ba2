"""A typed command reads the same on every platform: one parser, three adapters."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.adapters.console.convert import parse_line
from bot.adapters.slack.convert import command_to_incoming, event_to_incoming
from bot.adapters.telegram.convert import to_incoming
from bot.core.events import Command, Content, Text
from bot.core.inputs import parse_command
from tests.fakes.telegram_api import private_text

CASES: list[tuple[str, Content]] = [
    ("/ocena", Command("ocena")),
    ("/Zmien 2.1.1", Command("zmien", ("2.1.1",))),
    ("/jezyk   en ", Command("jezyk", ("en",))),
    ("/ ocena", Command("ocena")),
    ("/", Text("/")),
    ("/ ", Text("/ ")),
    ("/\t\n", Text("/\t\n")),
    ("ile można dostać z 2.3.3?", Text("ile można dostać z 2.3.3?")),
]


def _telegram(text: str) -> Content | None:
    update = Update.de_json({"update_id": 1, **private_text(501, text)}, None)
    incoming = to_incoming(update, "klaster_test_bot")
    return incoming.content if incoming is not None else None


def _slack(text: str) -> Content | None:
    body = {
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1"},
    }
    body["event"]["text"] = text  # type: ignore[index]
    incoming = event_to_incoming(body, "UBOT")
    return incoming.content if incoming is not None else None


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_every_platform_reads_a_typed_line_alike(typed: str, expected: Content) -> None:
    assert parse_line(typed, []) == expected
    assert _telegram(typed) == expected
    assert _slack(typed) == expected


def test_a_slash_without_a_name_is_no_command() -> None:
    assert parse_command("/") is None
    assert parse_command("/ ") is None
    assert parse_command("tekst /ocena") is None
    assert parse_command(" /START ") == Command("start")


def test_telegram_keeps_commands_for_this_bot_only() -> None:
    assert _telegram("/start@Klaster_Test_Bot") == Command("start")
    assert _telegram("/start@other_bot") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", Command("pomoc")),
        ("ocena", Command("ocena")),
        ("/ocena", Command("ocena")),
        ("/", Command("pomoc")),
        ("pytanie ile kosztuje ESCA?", Text("ile kosztuje ESCA?")),
    ],
)
def test_the_slack_slash_command_reads_its_subcommand(typed: str, expected: Content) -> None:
    body = {"text": typed, "user_id": "U1", "team_id": "T1", "trigger_id": "t"}
    assert command_to_incoming(body, "D1").content == expected
