"""The dispatcher: one incoming message in, an ordered list of replies out.

It checks the input, drops redeliveries, serialises each user's updates, loads the user and
their conversation state, routes to a feature, commits the state and only then returns the
replies (an answer the user sees acknowledged is on disk).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.events import (
    Action,
    Address,
    Command,
    FileUpload,
    Incoming,
    Reply,
    Text,
    UserKey,
    private_chat,
)
from bot.core.feature import ButtonRows, Feature, Fit, Handler, Turn
from bot.core.folding import fold
from bot.core.i18n import Texts, normalize_locale
from bot.core.inputs import (
    COMMAND_NAME,
    Rejection,
    check_payload,
    check_text,
    clean_text,
)
from bot.core.markup import escape
from bot.core.ordering import KeyedLocks, LocalOnly, SharedLocks, TurnHold
from bot.core.ports import Clock, SessionState, SessionStore, UpdateLog, User, UserStore
from bot.core.steps import CancelFeature, Detour, back_to, is_idle, mark_active
from bot.core.throttle import Throttle, Verdict
from bot.errors import DatabaseLost, DatabaseUnreachable, DeliveryError

log = logging.getLogger(__name__)

#: Delivers replies to an address outside the request (raises ``DeliveryError``).
Deliver = Callable[[Address, Sequence[Reply]], Awaitable[None]]

#: How long a delivery id is remembered. Telegram keeps undelivered updates for 24 hours and
#: Slack retries within minutes, so two days covers every redelivery.
UPDATE_MEMORY = timedelta(days=2)
_PRUNE_EVERY = 1000


class Dispatcher:
    """Routes incoming messages to features, one at a time per user."""

    def __init__(
        self,
        *,
        texts: Texts,
        users: UserStore,
        sessions: SessionStore,
        updates: UpdateLog,
        clock: Clock,
        features: Sequence[Feature],
        free_text: Handler,
        max_input_chars: int = 4000,
        identities: Callable[[UserKey], Awaitable[UserKey | None]] | None = None,
        throttle: Throttle | None = None,
        direct: Deliver | None = None,
        topical: Callable[[str], bool] | None = None,
        shared: SharedLocks | None = None,
    ) -> None:
        self.texts = texts
        self._users = users
        self._sessions = sessions
        self._updates = updates
        self._clock = clock
        self.features = (*features, CancelFeature(self._step_owner))
        self._free_text = free_text
        self._detour = Detour(texts, topical)
        self._max_input_chars = max_input_chars
        self._identities = identities
        self._throttle = throttle
        self._direct = direct
        self._locks = KeyedLocks()
        self._shared = shared
        self._remembered = 0
        self._commands: dict[str, tuple[Feature, Handler]] = {}
        self._by_prefix: dict[str, Feature] = {}
        self._by_name: dict[str, Feature] = {}
        for feature in self.features:
            self._by_name[feature.name] = feature
            if feature.action_prefix in self._by_prefix:
                raise ValueError(f"action prefix {feature.action_prefix!r} used twice")
            self._by_prefix[feature.action_prefix] = feature
            for name, handler in feature.commands().items():
                if name in self._commands:
                    raise ValueError(f"command /{name} registered twice")
                self._commands[name] = (feature, handler)

    @property
    def command_names(self) -> frozenset[str]:
        """Every command the dispatcher understands."""
        return frozenset(self._commands)

    def main_menu(self, turn: Turn) -> ButtonRows:
        """Return the main menu: each feature's entries, one button per row."""
        return tuple((button,) for f in self.features for button in f.menu_buttons(turn))

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Process one message and return the replies to show, in order.

        Never raises for anything a user can send: a failing feature becomes a polite reply
        and a log line with the address.
        """
        account = incoming.address.user_key
        key = account
        # The account's lock first (before any await), so its updates keep arrival order;
        # then, for an account linked to another one, that person's lock too. With several
        # workers on one database, each lock is also taken in the database (``shared``).
        async with self._locks.hold(account):
            try:
                async with self._shared_turn() as shared:
                    await shared.take(account)
                    key = await self._identity(account)
                    if key == account:
                        return await self._handle_locked(key, incoming)
                    async with self._locks.hold(key):
                        await shared.take(key)
                        return await self._handle_locked(key, incoming)
            except Exception as exc:
                log.exception("handling an update failed for %s", incoming.address)
                return await self._failure_replies(key, incoming, exc)

    async def _failure_replies(
        self, key: UserKey, incoming: Incoming, exc: Exception
    ) -> list[Reply]:
        """The polite reply to a turn that failed, in the user's language when known."""
        if isinstance(exc, DatabaseUnreachable):
            key_text = "errors.busy"  # nothing of the turn was stored; a minute may mend it
        elif isinstance(exc, DatabaseLost):
            key_text = "errors.not_saved"  # "your earlier answers are saved" is not true
        else:
            key_text = "errors.internal"
        locale = normalize_locale(incoming.locale_hint) or self.texts.default_locale
        try:
            user = await self._users.get_user(key)
            locale = user.locale if user else locale
        except Exception:
            log.exception("user lookup failed while reporting an error")
        return [Reply(self.texts.get(locale, key_text))]

    def _shared_turn(self) -> AbstractAsyncContextManager[TurnHold]:
        """The hold on the database's locks for one turn (one taking none in one process)."""
        return self._shared.turn() if self._shared is not None else LocalOnly()

    async def overview(self, address: Address) -> list[Reply]:
        """Return every feature's summary for a home screen; stores nothing."""
        key = await self._identity(address.user_key)
        now = self._clock.now()
        async with self._locks.hold(key):
            user = await self._users.get_user(key)
            known = user is not None
            user = user or User(key=key, locale=self.texts.default_locale, created_at=now)
            session = await self._sessions.load_session(key) if known else SessionState()
            incoming = Incoming(address, Text(""), private=True)  # a home screen is the user's
            turn = Turn(incoming, user, session, self.texts, now, self.main_menu)
            replies: list[Reply] = []
            for feature in self.features:
                replies += await feature.overview(turn)
            return replies

    async def _identity(self, account: UserKey) -> UserKey:
        """The person an account speaks for (itself unless linked to another account)."""
        if self._identities is None:
            return account
        try:
            return await self._identities(account) or account
        except Exception:
            log.exception("identity lookup failed; using the account itself")
            return account

    async def _handle_locked(self, key: UserKey, incoming: Incoming) -> list[Reply]:
        update_key = self._update_key(incoming)
        if update_key is not None and await self._updates.seen(update_key):
            log.debug("dropping redelivered update %s", update_key)
            return []
        incoming, rejection = self._check(incoming)
        now = self._clock.now()
        verdict = self._throttle.check(key, now) if self._throttle is not None else Verdict.ALLOW
        if verdict is Verdict.DROP:
            # Told to slow down already in this window: not a word more, so a flood adds
            # nothing to the sends other users wait behind. The id stays remembered.
            if update_key is not None:
                await self._remember(update_key, now)
            return []
        if verdict is Verdict.SLOW_DOWN:
            rejection = Rejection("errors.slow_down")
        user = await self._users.get_user(key)
        if rejection is not None:
            # Nothing is stored for refused input, not even a first-contact user record.
            guest = user or User(key=key, locale=self._first_locale(incoming), created_at=now)
            session = await self._sessions.load_session(key) if user else SessionState()
            turn = Turn(incoming, guest, session, self.texts, now, self.main_menu)
            replies = await self._rejection_replies(turn, rejection)
        else:
            if user is None:
                user = User(key=key, locale=self._first_locale(incoming), created_at=now)
                await self._users.save_user(user)
            elif not user.active:
                # They blocked the bot once and now write again: they can be reached.
                user.active = True
                await self._users.save_user(user)
            session = await self._sessions.load_session(key)
            before = session.copy()
            personal = self._is_personal(incoming)
            if personal:
                # Answered as if written in the private chat: what the feature stores (a
                # subscription's address, say) and what it shows both belong there.
                private = private_chat(incoming.address.user_key)
                incoming = replace(incoming, address=private, private=True)
            turn = Turn(incoming, user, session, self.texts, now, self.main_menu)
            # Where the private chat cannot be opened, nothing runs: a code the command
            # would use up stays good for when the user writes from there.
            reachable = not personal or await self._opens_privately(turn)
            replies = await self._route(turn) if reachable else []
            if turn.session.step is not None:
                mark_active(turn.session, now, before)
            if turn.erased:
                pass  # everything about the user was just deleted: store nothing more
            elif turn.session != before:
                await self._sessions.save_session(key, turn.session)
            if personal:
                replies = [await self._send_privately(turn, replies)]
        if update_key is not None:
            await self._remember(update_key, now)
        return replies

    def _is_personal(self, incoming: Incoming) -> bool:
        """Whether a command or press from a shared chat must be answered privately."""
        content = incoming.content
        if incoming.private:
            return False
        if isinstance(content, Command):
            return not self._commands[content.name][0].is_shared(content)
        if isinstance(content, Action):
            feature = self._by_prefix[content.payload.split(":", 1)[0]]
            return not feature.is_shared(content)
        return False

    async def _opens_privately(self, turn: Turn) -> bool:
        """Open the private chat with a line saying why the answer comes there.

        On Telegram the bot may write only to users who have written to it; this first
        message finds out before the command runs.
        """
        return await self._deliver_privately(turn, [Reply(turn.t("privacy.from_group"))])

    async def _send_privately(self, turn: Turn, replies: list[Reply]) -> Reply:
        """Deliver ``replies`` in the private chat; say so (or how to get them) where asked."""
        if replies and await self._deliver_privately(turn, replies):
            return Reply(turn.t("privacy.sent_privately"))
        return Reply(turn.t("privacy.write_privately"))

    async def _deliver_privately(self, turn: Turn, replies: list[Reply]) -> bool:
        if self._direct is None:
            return False
        try:
            await self._direct(turn.incoming.address, replies)
        except DeliveryError as exc:
            log.info("cannot write privately to %s: %s", turn.incoming.address, exc)
            return False
        return True

    def _first_locale(self, incoming: Incoming) -> str:
        return normalize_locale(incoming.locale_hint) or self.texts.default_locale

    def _update_key(self, incoming: Incoming) -> str | None:
        if incoming.update_id is None:
            return None
        a = incoming.address
        return f"{a.platform}:{a.workspace_id or ''}:{incoming.update_id}"

    async def _remember(self, update_key: str, now: datetime) -> None:
        await self._updates.remember(update_key, now)
        self._remembered += 1
        if self._remembered % _PRUNE_EVERY == 0:
            await self._updates.forget_before(now - UPDATE_MEMORY)

    def _check(self, incoming: Incoming) -> tuple[Incoming, Rejection | None]:
        content = incoming.content
        if isinstance(content, Text):
            text = clean_text(content.text)
            return replace(incoming, content=Text(text)), check_text(text, self._max_input_chars)
        if isinstance(content, Command):
            # "/zmień", "/postęp", "/usuń_dane" are the same commands as their ASCII spelling.
            name = fold(content.name.lower())
            args = tuple(a for a in (clean_text(x) for x in content.args) if a)
            if not COMMAND_NAME.fullmatch(name) or name not in self._commands:
                shown = clean_text(content.name)[:32] or "?"
                return incoming, Rejection("errors.unknown_command", (("command", shown),))
            if sum(len(a) for a in args) > self._max_input_chars:
                return incoming, Rejection("errors.too_long", (("limit", self._max_input_chars),))
            return replace(incoming, content=Command(name, args)), None
        if isinstance(content, Action):
            if not check_payload(content.payload):
                return incoming, Rejection("errors.stale_button")
            if content.payload.split(":", 1)[0] not in self._by_prefix:
                return incoming, Rejection("errors.stale_button")
            return incoming, None
        if isinstance(content, FileUpload):
            return incoming, None  # a waiting step may want it; _route decides
        return incoming, Rejection("errors.unknown_input")  # pragma: no cover - exhaustive

    async def _rejection_replies(self, turn: Turn, rejection: Rejection) -> list[Reply]:
        params = {k: escape(str(v)) for k, v in rejection.params}
        refusal = turn.t(rejection.key, **params)
        owner = self._step_owner(turn) if turn.incoming.private else None
        # Input refused while a feature waits for an answer: repeat its question, so the
        # user sees what is still expected (e.g. the standard on screen); never where others
        # read it.
        if owner is not None and not isinstance(turn.incoming.content, Command):
            again = await owner.prompt(turn)
            if again:
                return [Reply(refusal), *again]
        text = f"{refusal}\n{turn.t('errors.what_now')}"
        return [Reply(text, buttons=self.main_menu(turn))]

    def _step_owner(self, turn: Turn) -> Feature | None:
        step = turn.session.step
        return self._by_name.get(step.split(".", 1)[0]) if step else None

    async def _route(self, turn: Turn) -> list[Reply]:
        content = turn.incoming.content
        owner = self._step_owner(turn)
        if isinstance(content, Command):
            feature, handler = self._commands[content.name]
            step = turn.session.step
            turn.args = content.args
            replies = await handler(turn)
            # Another feature's command answered, the step still waits: say so and ask again.
            if (
                owner is None
                or owner is feature
                or not turn.incoming.private
                or turn.erased
                or turn.session.step != step
            ):
                return replies
            return replies + await self._back_to(turn, owner)
        if isinstance(content, Action):
            prefix, *fields = content.payload.split(":")
            return await self._by_prefix[prefix].on_action(turn, fields)
        if not turn.incoming.private:
            # Where others read, text is a question: a step waiting for the user's own answer
            # (a cluster's name, a note) is neither fed nor abandoned by it.
            if isinstance(content, FileUpload):
                return [Reply(turn.t("errors.file_not_expected"))]
            return await self._free_text(turn)
        if owner is not None:
            if isinstance(content, Text):
                return await self._step_text(turn, owner, content.text)
            return await owner.on_text(turn)
        if isinstance(content, FileUpload):
            return await self._rejection_replies(turn, Rejection("errors.file_not_expected"))
        if turn.session.step is not None:
            turn.session.step = None
        if isinstance(content, Text) and content.text.strip().isdecimal() and len(content.text) < 4:
            # "7" where no step waits: a button's number typed, not a question.
            return [turn.menu_reply("flow.bare_number", number=content.text.strip())]
        return await self._free_text(turn)

    async def _step_text(self, turn: Turn, owner: Feature, text: str) -> list[Reply]:
        """Feed a waiting step, unless the text asks something else or comes much later.

        A question is answered and the step asked again (``Detour.asks`` says what counts).
        After ``IDLE_AFTER`` the step is not fed at all: the text is answered as if nothing
        waited and the feature offers to go back to where the user was.
        """
        fit = owner.fit(turn, text)
        if fit is Fit.EXACT:
            return await owner.on_text(turn)
        if is_idle(turn.session, turn.now):
            paused = await owner.paused(turn)
            turn.session.step = None
            turn.session.data.clear()
            return [*await self._free_text(turn), *([paused] if paused else [])]
        if not self._detour.asks(text, fit):
            return await owner.on_text(turn)
        return await self._free_text(turn) + await self._back_to(turn, owner)

    async def _back_to(self, turn: Turn, owner: Feature) -> list[Reply]:
        """The waiting step's question again, under a line saying we go back to it."""
        return back_to(turn, await owner.prompt(turn))
