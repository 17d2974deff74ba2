"""One person on two platforms: a single-use code links an account to another one.

Linking is asked for by the account that redeems the code, confirmed by it after it sees
which account it would speak for, and told to the code's owner; either side undoes it with
``/rozlacz``. While linked, the redeeming account reads and writes the owner's data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta

from bot.core.codes import new_code
from bot.core.events import Address, Button, Reply, Text, UserKey, private_chat
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.i18n import Texts
from bot.core.ports import CollabStore, UserStore
from bot.core.records import OneTimeCode

PREFIX = "l1"
LINK_VALID = timedelta(minutes=10)
STEP_CONFIRM = "link.confirm"
#: Sends replies outside the request, reporting success (``bot.core.outbox.Outbox.try_send``).
Notify = Callable[[Address, Sequence[Reply]], Awaitable[bool]]


def describe_account(texts: Texts, locale: str, key: UserKey) -> str:
    """Name an account so its person recognises it: platform, id (and Slack workspace)."""
    return texts.get(
        locale, f"link.account.{key.platform}", user=key.user_id, workspace=key.workspace
    )


class LinkFeature(FeatureBase):
    """``/polacz`` makes a code; ``/polacz KOD`` asks to link; ``/rozlacz`` undoes links."""

    name = "link"
    action_prefix = PREFIX

    def __init__(self, store: CollabStore, users: UserStore, notify: Notify) -> None:
        self._store = store
        self._users = users
        self._notify = notify

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/polacz`` (``/link``) and ``/rozlacz`` (``/unlink``)."""
        return {
            "polacz": self.link,
            "link": self.link,
            "rozlacz": self.unlink,
            "unlink": self.unlink,
        }

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "link.help"

    async def link(self, turn: Turn) -> list[Reply]:
        """Without a code: make one. With a code: ask to link this account to its maker."""
        if not turn.args:
            code = new_code()
            await self._store.create_code(
                OneTimeCode(code, "link", turn.user.key, turn.now + LINK_VALID)
            )
            return [Reply(turn.t("link.code", code=code))]
        redeemed = await self._store.redeem_code(
            turn.args[0].strip().upper(), "link", turn.now, turn.user.key
        )
        if redeemed is None:
            return [Reply(turn.t("link.bad_code"))]
        account = turn.incoming.address.user_key
        if redeemed.owner in (account, turn.user.key):
            return [Reply(turn.t("link.same"))]
        refusal = await self._refusal(turn, account, redeemed.owner)
        if refusal is not None:
            return [refusal]
        owner = redeemed.owner
        turn.session.step = STEP_CONFIRM
        turn.session.data = {
            "owner": [owner.platform, owner.workspace, owner.user_id],
            "asker": [account.platform, account.workspace, account.user_id],
        }
        return [self._confirmation(turn, owner)]

    async def _refusal(self, turn: Turn, account: UserKey, owner: UserKey) -> Reply | None:
        """Why ``account`` cannot be linked to ``owner`` now (``None`` when it can).

        Links are one hop, never chains or loops: an account linked to another, or with
        others linked to it, is not linked on; nor to an owner who is itself linked.
        """
        linked_to = await self._store.canonical(account)
        if linked_to is not None:
            name = describe_account(turn.texts, turn.locale, linked_to)
            return Reply(turn.t("link.already_linked", account=name))
        if await self._store.list_aliases(account):
            return Reply(turn.t("link.has_aliases"))
        if await self._store.canonical(owner) is not None:
            return Reply(turn.t("link.owner_linked"))
        return None

    def _confirmation(self, turn: Turn, owner: UserKey) -> Reply:
        account = describe_account(turn.texts, turn.locale, owner)
        buttons = (
            (Button(turn.t("link.agree"), f"{PREFIX}:yes"),),
            (Button(turn.t("link.refuse"), f"{PREFIX}:no"),),
        )
        return Reply(turn.t("link.confirm", account=account), buttons=buttons)

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat the confirmation while it waits."""
        owner = _owner(turn)
        return [self._confirmation(turn, owner)] if owner else []

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take a typed yes or no; anything else repeats the question."""
        content = turn.incoming.content
        word = content.text if isinstance(content, Text) else ""
        if turn.says("link.agree_words", word):
            return await self.on_action(turn, ["yes"])
        if turn.says("link.refuse_words", word):
            return await self.on_action(turn, ["no"])
        return [Reply(turn.t("link.use_buttons")), *await self.prompt(turn)]

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Link after the confirmation (by the account that asked), or leave them apart."""
        owner = _owner(turn)
        account = turn.incoming.address.user_key
        if owner is None or fields not in (["yes"], ["no"]) or _asker(turn) != account:
            return [turn.menu_reply("errors.stale_button")]
        turn.session.step, turn.session.data = None, {}
        if fields == ["no"]:
            return [Reply(turn.t("link.declined"))]
        refusal = await self._refusal(turn, account, owner)  # things may have moved since
        if refusal is not None:
            return [refusal]
        await self._store.link_identity(account, owner, turn.now)
        await self._tell(turn, owner, "link.notice", account)
        name = describe_account(turn.texts, turn.locale, owner)
        return [Reply(turn.t("link.linked", account=name))]

    async def unlink(self, turn: Turn) -> list[Reply]:
        """Undo a link from either side: the linked account, or the account linked to."""
        account = turn.incoming.address.user_key
        canonical = await self._store.canonical(account)
        if canonical is not None:
            await self._store.unlink_identity(account)
            await self._tell(turn, canonical, "link.unlinked_notice", account)
            name = describe_account(turn.texts, turn.locale, canonical)
            return [Reply(turn.t("link.unlinked", account=name))]
        aliases = await self._store.list_aliases(account)
        if not aliases:
            return [Reply(turn.t("link.none"))]
        for alias in aliases:
            await self._store.unlink_identity(alias)
            await self._tell(turn, alias, "link.unlinked_notice", account)
        names = ", ".join(describe_account(turn.texts, turn.locale, a) for a in aliases)
        return [Reply(turn.t("link.unlinked_all", account=names))]

    async def _tell(self, turn: Turn, whom: UserKey, key: str, about: UserKey) -> None:
        """Tell ``whom``, in their language and privately, what happened with ``about``."""
        user = await self._users.get_user(whom)
        locale = user.locale if user else turn.locale
        account = describe_account(turn.texts, locale, about)
        notice = Reply(turn.texts.get(locale, key, account=account))
        await self._notify(private_chat(whom), [notice])


def _owner(turn: Turn) -> UserKey | None:
    """The account a pending confirmation would link to (``None`` when nothing waits)."""
    return _pending(turn, "owner")


def _asker(turn: Turn) -> UserKey | None:
    """The account that asked for the pending link (only it may confirm)."""
    return _pending(turn, "asker")


def _pending(turn: Turn, field: str) -> UserKey | None:
    value = turn.session.data.get(field) if turn.session.step == STEP_CONFIRM else None
    if not (isinstance(value, list) and len(value) == 3):
        return None
    return UserKey(*(str(part) for part in value))
