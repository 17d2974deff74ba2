"""``/raport www``: a link to the report's web page to share; ``/raport www wylacz`` revokes."""

from __future__ import annotations

from bot.core.events import Reply
from bot.core.feature import Turn
from bot.core.localized import local_moment
from bot.core.markup import escape
from bot.core.ports import AssessmentRecord
from bot.core.weblinks import WebLinks


def wants_web(args: tuple[str, ...]) -> bool:
    """Whether ``/raport`` was asked for its web page (``www`` or ``web``)."""
    return bool(args) and args[0].lower() in ("www", "web")


async def web_report(
    turn: Turn, record: AssessmentRecord, links: WebLinks | None, args: tuple[str, ...]
) -> list[Reply]:
    """Make a link to ``record``'s report page, or revoke every such link of the person."""
    if links is None:
        return [Reply(turn.t("web.disabled"))]
    if args and turn.says("web.report.off_words", args[0]):
        revoked = await links.revoke_reports(turn.user.key, turn.now)
        return [Reply(turn.t("web.report.revoked" if revoked else "web.report.none_to_revoke"))]
    if args:
        return [Reply(turn.t("web.report.usage"))]
    link = await links.report_link(turn.user.key, record.id, turn.now)
    until = local_moment(turn.t, link.expires_at, links.tz, date_only=True)
    return [Reply(turn.t("web.report.link", url=escape(link.url), date=until))]
