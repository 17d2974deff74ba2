"""A person's data export, read through the ports: every store gives the same one."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from bot.core.events import UserKey
from bot.core.ports import (
    ActionPlanStore,
    AssessmentStore,
    IdentityLinks,
    ReminderPrefs,
    SessionStore,
    SubscriptionStore,
    UserStore,
)
from bot.core.records import ActionItem, AnswerRecord, AssessmentRecord, Subscription
from bot.core.web_ports import Consent, ConsentStore, WebToken


class WebTokenList(Protocol):
    """A person's web links, for their export (every store implements it beside the port)."""

    async def list_web_tokens(self, owner: UserKey) -> list[WebToken]:
        """Return the owner's tokens, in any state, by creation time and digest."""
        ...


class ExportSource(
    UserStore,
    SessionStore,
    AssessmentStore,
    SubscriptionStore,
    ReminderPrefs,
    ActionPlanStore,
    IdentityLinks,
    ConsentStore,
    WebTokenList,
    Protocol,
):
    """The ports an export reads."""


async def user_export(store: ExportSource, key: UserKey) -> dict[str, Any]:
    """Everything stored about ``key`` as JSON-ready values (empty dict for a stranger)."""
    user = await store.get_user(key)
    if user is None:
        return {}
    return {
        "user": {
            "platform": key.platform,
            "workspace": key.workspace,
            "user_id": key.user_id,
            "locale": user.locale,
            "created_at": user.created_at.isoformat(),
        },
        "session": dataclasses.asdict(await store.load_session(key)),
        "assessments": [
            {
                **record_json(r),
                "answers": [answer_json(answers[standard_id]) for standard_id in sorted(answers)],
            }
            for r in await store.list_assessments(key)
            for answers in [await store.list_answers(r.id)]
        ],
        "subscriptions": [subscription_json(s) for s in await store.list_subscriptions(key)],
        "reminder_offsets": list(await store.get_offsets(key) or ()),
        "status_dates": [
            {"kind": s.kind, "granted_on": s.granted_on.isoformat()}
            for s in await store.list_status_dates()
            if s.owner == key
        ],
        "action_plan": [action_json(a) for a in await store.list_actions(key, include_done=True)],
        "linked_accounts": [str(alias) for alias in await store.list_aliases(key)],
        "consent": consent_json(await store.get_consent(key)),
        "web_links": [web_link_json(t) for t in await store.list_web_tokens(key)],
    }


def record_json(record: AssessmentRecord) -> dict[str, Any]:
    """An assessment record."""
    return {
        "id": record.id,
        "questionnaire_id": record.questionnaire_id,
        "questionnaire_version": record.questionnaire_version,
        "status": record.status,
        "phase": record.phase,
        "profile": record.profile,
        "created_at": record.created_at.isoformat(),
        "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        "team_of": record.team_of,
    }


def answer_json(answer: AnswerRecord) -> dict[str, Any]:
    """One answer."""
    return {
        "standard_id": answer.standard_id,
        "answer": answer.answer,
        "note": answer.note,
        "answered_at": answer.answered_at.isoformat(),
    }


def subscription_json(sub: Subscription) -> dict[str, Any]:
    """One reminder subscription."""
    return {
        "kind": sub.kind,
        "target": sub.target,
        "region": sub.region,
        "created_at": sub.created_at.isoformat(),
    }


def action_json(item: ActionItem) -> dict[str, Any]:
    """One action-plan step."""
    return {
        "standard_id": item.standard_id,
        "title": item.title,
        "responsible": item.responsible,
        "due_on": item.due_on.isoformat(),
        "done_at": item.done_at.isoformat() if item.done_at else None,
    }


def consent_json(consent: Consent | None) -> dict[str, Any] | None:
    """The answer about the overview (``None``: never given)."""
    if consent is None:
        return None
    return {"overview": consent.overview, "decided_at": consent.decided_at.isoformat()}


def web_link_json(token: WebToken) -> dict[str, Any]:
    """One secret web link: never its digest (it would identify the link)."""
    return {
        "kind": token.kind,
        "assessment_id": token.assessment_id,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
        "used_at": token.used_at.isoformat() if token.used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
