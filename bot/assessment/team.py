"""Team self-evaluation: single-use invitations, each colleague answering on their own.

The coordinator's report shows where the answers differ (:mod:`bot.assessment.differences`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.assessment.model import Status
from bot.assessment.service import AssessmentFeature
from bot.core.codes import new_code
from bot.core.events import Reply
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.links import StartLinks
from bot.core.markup import escape
from bot.core.ports import AssessmentRecord, AssessmentStore, CollabStore
from bot.core.records import OneTimeCode

PREFIX = "t1"
INVITE_VALID = timedelta(days=7)


class TeamFeature(FeatureBase):
    """``/zespol`` (invite) and ``/dolacz KOD`` (join); deep links ``/start KOD`` too."""

    name = "team"
    action_prefix = PREFIX

    def __init__(
        self,
        assessments: AssessmentStore,
        codes: CollabStore,
        assess: AssessmentFeature,
        links: StartLinks | None = None,
    ) -> None:
        self._assessments = assessments
        self._codes = codes
        self._assess = assess
        self._links = links or StartLinks()  # a platform's deep link, when it builds them

    def commands(self) -> Mapping[str, Handler]:
        """Return the commands in Polish and English."""
        return {"zespol": self.invite, "team": self.invite, "dolacz": self.join, "join": self.join}

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "team.help"

    async def _team_assessment(self, turn: Turn) -> AssessmentRecord | None:
        for record in await self._assessments.list_assessments(turn.user.key):
            if (
                record.team_of is None
                and record.status in (Status.IN_PROGRESS, Status.COMPLETED)
                and record.phase
            ):
                return record
        return None

    async def invite(self, turn: Turn) -> list[Reply]:
        """Create a single-use invitation to the coordinator's current assessment."""
        record = await self._team_assessment(turn)
        if record is None:
            return [Reply(turn.t("team.need_phase"))]
        code = new_code()
        await self._codes.create_code(
            OneTimeCode(code, "invite", turn.user.key, turn.now + INVITE_VALID, record.id)
        )
        link = self._links(code)
        telegram = f"[{link}]({link})" if link else f"/start {code}"
        return [Reply(turn.t("team.invite", code=code, telegram=telegram))]

    async def join(self, turn: Turn) -> list[Reply]:
        """Redeem an invitation and start answering in the coordinator's team."""
        if not turn.args:
            return [Reply(turn.t("team.usage"))]
        code = turn.args[0].strip().upper()
        redeemed = await self._codes.redeem_code(code, "invite", turn.now, turn.user.key)
        if redeemed is None or redeemed.assessment_id is None:
            return [Reply(turn.t("team.bad_code"))]
        if redeemed.owner == turn.user.key:
            return [Reply(turn.t("team.own"))]
        lead = await self._assessments.get_assessment(redeemed.assessment_id)
        if lead is None:
            return [Reply(turn.t("team.bad_code"))]
        await self._assess.abandon_current(turn)
        member = await self._assessments.create_assessment(
            turn.user.key, lead.questionnaire_id, lead.questionnaire_version, turn.now
        )
        member.profile = dict(lead.profile)
        member.phase = lead.phase
        member.team_of = lead.id
        member.updated_at = turn.now
        await self._assessments.update_assessment(member)
        name = escape(str(lead.profile.get("name", "")))
        return [Reply(turn.t("team.joined", name=name)), *await self._assess.open_current(turn)]
