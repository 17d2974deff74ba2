"""An ``.ics`` file an administrator sends: its events, and what they hear (counts, and why)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.events import Reply
from bot.core.feature import Turn
from bot.core.inputs import MAX_FILE_BYTES
from bot.core.markup import escape
from bot.core.records import Event
from bot.reminders.ics import EARLIEST, IcsError, IcsImport, Problem, from_ics, latest_start
from bot.reminders.limits import MAX_FIELD, MAX_TITLE

#: Lines per section; a file with hundreds of broken events gets a count for the rest.
MAX_LINES = 10


def read_calendar(turn: Turn, data: bytes, tz: ZoneInfo) -> tuple[list[Event], Reply]:
    """Read a sent calendar file: its usable events, and what to tell the administrator."""
    try:
        if len(data) > MAX_FILE_BYTES:
            raise IcsError("too_big")
        result = from_ics(data, "meeting", tz.key, turn.now)
    except IcsError as exc:
        reason = reason_text(turn, exc.reason, tz)
        return [], Reply(turn.t("reminders.admin.import_bad", reason=reason))
    return result.events, Reply(import_report(turn, result, tz))


def import_report(turn: Turn, result: IcsImport, tz: ZoneInfo) -> str:
    """Say how many events were imported, then each skipped or changed one with the reason."""
    if result.events:
        lines = [turn.t("reminders.admin.imported", count=len(result.events))]
    else:
        lines = [turn.t("reminders.admin.import_none")]
    sections = (
        ("reminders.admin.import_skipped", result.skipped),
        ("reminders.admin.import_changed", result.changed),
    )
    for key, problems in sections:
        if problems:
            lines += ["", turn.t(key, count=len(problems))]
            lines += [_line(turn, p, tz) for p in problems[:MAX_LINES]]
            if len(problems) > MAX_LINES:
                lines.append(turn.t("reminders.admin.import_more", count=len(problems) - MAX_LINES))
    return "\n".join(lines)


def reason_text(turn: Turn, reason: str, tz: ZoneInfo) -> str:
    """Return why an event (or a whole file) was refused or changed, in the user's language."""
    fmt = "%Y-%m-%d" if turn.locale == "en" else "%d.%m.%Y"
    return turn.t(
        f"reminders.admin.import_reason.{reason}",
        earliest=EARLIEST.strftime(fmt),
        latest=latest_start(turn.now).astimezone(tz).strftime(fmt),
        title_limit=MAX_TITLE,
        field_limit=MAX_FIELD,
    )


def _line(turn: Turn, problem: Problem, tz: ZoneInfo) -> str:
    title = escape(problem.title) if problem.title else turn.t("reminders.admin.import_untitled")
    return turn.t(
        "reminders.admin.import_line", title=title, reason=reason_text(turn, problem.reason, tz)
    )
