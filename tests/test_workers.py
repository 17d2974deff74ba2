"""Several `clusterbot run` workers on one PostgreSQL database behave as one (issue 18).

Three worker processes in Telegram webhook mode share a fresh schema; the test plays
Telegram: 50 users do complete self-evaluations at once, each update posted to the next live
worker (round-robin, as a load balancer would), and one worker is SIGKILLed mid-run. A post
that fails is delivered again, same ``update_id``, to the next live worker, as Telegram does.
Every worker answers only after handling (and storing) the update, so after a 200 the replies
are already at the fake Bot API and the user reads the newest message at once.

A second test runs two workers in polling mode: only the lease holder calls ``getUpdates``,
and the other takes over within seconds when it is killed.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import signal
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from bot.config import REPO_CONTENT_DIR
from bot.core.events import Address
from bot.core.records import Event
from bot.loader import load_content
from storage.postgres import PostgresStorage
from tests.fakes.telegram_api import TOKEN, Call, FakeBotApi, button_press, private_text
from tests.helpers import clean_env, start_bot_process
from tests.pg import fresh_schema_url
from tests.sample import PROFILE

USERS = list(range(7001, 7051))
WORKERS = 3
SECRET = "workers-s3cret"
SECRET_HEADER = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
STALE = "Ten przycisk jest już nieaktywny"
EVENT_ID = "adm-workers"
EVENT_TITLE = "Forum klastrów (test workerów)"
#: Seconds from putting the event in until its 1-minute reminder falls due: the workers are
#: up by then (3-7 s on this machine), so the reminders fall due while users are busy.
REMINDER_DUE_IN = 10.0
#: Seconds a worker may take to start, and the whole run to finish (generous for CI).
START_WITHIN = 60.0
RUN_WITHIN = 240.0

#: What each user does: /ocena, the 9 typed profile answers, the phase, 36 "Spełnia".
STEPS: list[tuple[str, str]] = [
    ("text", "/ocena"),
    *(("text", value) for value in PROFILE),
    ("press", "faza rozwoju"),
    *(("press", "Spełnia") for _ in range(36)),
]
#: How many sendMessage calls each step's turn makes (the last one also sends a chart).
#: Messages per step; the last answer brings the report and the overview consent question.
EXPECTED = [2, *([1] * len(PROFILE)), 2, *([1] * 35), 2]
TOTAL_TURNS = len(USERS) * len(STEPS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@functools.cache
def standard_order() -> list[str]:
    return [s.id for s in load_content(REPO_CONTENT_DIR).questionnaires[0].standards]


@dataclass
class ChatLog:
    """What one chat received, as the fake Bot API recorded it."""

    #: The texts of sendMessage calls, reminders left out.
    texts: list[str] = field(default_factory=list)
    #: The standards whose question was shown, each with whether a resume showed it.
    shown: list[tuple[str, bool]] = field(default_factory=list)
    reminders: int = 0
    #: Set while the user presses "Kontynuuj" after a lost reply.
    resuming: bool = False


class Telegram(FakeBotApi):
    """The fake Bot API, sorting what it records by chat as it arrives.

    It also listens on 127.0.0.2 (same port) and notes, for each ``getUpdates``, the address
    it came in on: a worker given 127.0.0.2 as its API address is told apart from one given
    127.0.0.1.
    """

    def __init__(self, standards: set[str]) -> None:
        super().__init__()
        self.chats: dict[int, ChatLog] = {}
        self.polls: list[tuple[float, str]] = []
        self._standards = standards
        self.listeners.append(self._sort)

    async def start(self) -> None:
        await super().start()
        assert self.runner is not None
        await web.TCPSite(self.runner, "127.0.0.2", self.port).start()

    def base_url_on(self, host: str) -> str:
        return f"http://{host}:{self.port}/bot"

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "getUpdates":
            sockname = request.transport.get_extra_info("sockname") if request.transport else None
            self.polls.append((time.monotonic(), str(sockname[0]) if sockname else "?"))
        return await super()._handle(request)

    def chat(self, chat_id: int) -> ChatLog:
        return self.chats.setdefault(chat_id, ChatLog())

    def _sort(self, call: Call) -> None:
        if call.method != "sendMessage":
            return
        log = self.chat(int(call.params["chat_id"]))
        text = str(call.params.get("text", ""))
        if EVENT_TITLE in text:
            log.reminders += 1
            return
        log.texts.append(text)
        markup = call.params.get("reply_markup")
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        for row in rows:
            for button in row:
                parts = str(button.get("callback_data", "")).split(":")
                if len(parts) == 4 and parts[2] in self._standards and parts[3] == "y":
                    log.shown.append((parts[2], log.resuming))


@dataclass
class Worker:
    """One `clusterbot run` process and its webhook port."""

    index: int
    port: int
    process: asyncio.subprocess.Process
    stderr: IO[bytes]
    killed: bool = False
    in_flight: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    def log_tail(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        return Path(self.stderr.name).read_bytes().decode(errors="replace")[-3000:]


def worker_env(api_base: str, db_url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api_base,
        TELEGRAM_MAX_RATE="1000",
        CLUSTERBOT_DATABASE_URL=db_url,
        CLUSTERBOT_RATE_LIMIT="1000/1",
        # Few connections: the suite runs beside other tests on a server of 100 connections.
        CLUSTERBOT_DB_POOL="4",
        CLUSTERBOT_LOG_LEVEL="WARNING",
        **extra,
    )


async def start_worker(index: int, env: dict[str, str], port: int, logs: Path) -> Worker:
    stderr = (logs / f"worker-{index}.log").open("wb")
    process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
    return Worker(index, port, process, stderr)


async def wait_healthy(client: aiohttp.ClientSession, worker: Worker) -> None:
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        if worker.process.returncode is not None:
            raise AssertionError(f"worker {worker.index} exited:\n{worker.log_tail()}")
        try:
            async with client.get(f"http://127.0.0.1:{worker.port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"worker {worker.index} did not start:\n{worker.log_tail()}")


async def stop_workers(workers: list[Worker]) -> dict[int, int | None]:
    """SIGTERM the live workers (SIGKILL any left after 30 s); their exit codes."""
    for worker in workers:
        if worker.process.returncode is None and not worker.killed:
            worker.process.send_signal(signal.SIGTERM)
    codes: dict[int, int | None] = {}
    for worker in workers:
        try:
            await asyncio.wait_for(worker.process.wait(), 30)
        except TimeoutError:
            worker.process.kill()
            await worker.process.wait()
        codes[worker.index] = worker.process.returncode
        worker.stderr.close()
    return codes


async def wait_until(predicate: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.02)


async def put_reminders(url: str) -> datetime:
    """An event whose 1-minute reminder falls due ``REMINDER_DUE_IN`` s from now, and every
    user subscribed to it; return the due moment."""
    now = datetime.now(UTC)
    due = now + timedelta(seconds=REMINDER_DUE_IN)
    store = await PostgresStorage.open(url, pool_size=2)
    try:
        starts = due + timedelta(minutes=1)
        await store.save_event(
            Event(EVENT_ID, EVENT_TITLE, "Cluster forum", starts, "meeting", origin="admin")
        )
        for user in USERS:
            address = Address("telegram", str(user), str(user))
            await store.add_subscription(address.user_key, address, "event", EVENT_ID, None, now)
    finally:
        await store.close()
    return due


@dataclass
class Run:
    """The test playing Telegram for every user, over the live workers."""

    api: Telegram
    client: aiohttp.ClientSession
    workers: list[Worker]
    order: list[str]
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    turn: itertools.count[int] = field(default_factory=itertools.count)
    #: Every update id posted (each is handled by one worker, once).
    posted: list[int] = field(default_factory=list)
    #: (worker, update id, what went wrong) for each failed post.
    failures: list[tuple[int, int, str]] = field(default_factory=list)
    #: Set once the killed worker is gone: failed posts wait for it before redelivering.
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    steps_done: int = 0
    lost_replies: int = 0
    #: Messages a lost reply never brought (the dead worker sent none or part of them).
    missing: int = 0
    resumes: int = 0
    #: Turns whose replies do not add up: user, step (-1, -2: a resume's), what came.
    anomalies: list[str] = field(default_factory=list)

    def pick(self) -> Worker:
        live = [w for w in self.workers if not w.killed]
        return live[next(self.turn) % len(live)]

    async def deliver(self, update: dict[str, Any]) -> bool:
        """Post ``update`` until a worker answers 200; whether it had to be delivered again."""
        update_id = next(self.update_ids)
        self.posted.append(update_id)
        body = {"update_id": update_id, **update}
        again = False
        while True:
            worker = self.pick()
            worker.in_flight += 1
            try:
                async with self.client.post(
                    worker.url, json=body, headers=SECRET_HEADER
                ) as response:
                    await response.read()
                problem = "" if response.status == 200 else f"HTTP {response.status}"
            except aiohttp.ClientError as exc:
                problem = type(exc).__name__
            finally:
                worker.in_flight -= 1
            if not problem:
                return again
            self.failures.append((worker.index, update_id, problem))
            again = True
            if worker.killed:
                await self.settled.wait()
            else:
                await asyncio.sleep(0.1)

    async def send(self, user: int, update: dict[str, Any]) -> tuple[int, bool]:
        """Deliver; how many messages the chat got for it, and whether it was redelivered."""
        log = self.api.chat(user)
        before = len(log.texts)
        again = await self.deliver(update)
        return len(log.texts) - before, again

    def check_prompt(self, user: int, step: int) -> None:
        """The newest message asks what step ``step`` answers (the right question)."""
        texts = self.api.chat(user).texts
        newest = texts[-1] if texts else ""
        where = f"user {user} before step {step}: {newest[:120]!r}"
        if step == len(STEPS):
            assert "Jeszcze jedno pytanie" in newest, where
            assert "Wynik samooceny" in texts[-2], where
        elif 1 <= step <= len(PROFILE):
            assert f"Profil klastra ({step}/{len(PROFILE)})" in newest, where
        elif step == len(PROFILE) + 1:
            assert "W jakiej fazie" in newest, where
        elif step > len(PROFILE) + 1:
            expected = self.order[step - len(PROFILE) - 2]
            _, data = self.api.button(user, "Spełnia")
            assert data.split(":")[2] == expected, f"{where}; expected {expected}"
        else:
            raise AssertionError(where)

    def note(self, user: int, step: int, got: int, expected: int, again: bool = False) -> None:
        """Note a turn whose messages do not add up (with what they said)."""
        texts = [t[:60] for t in self.api.chat(user).texts[len(self.api.chat(user).texts) - got :]]
        redelivered = "redelivered, " if again else ""
        self.anomalies.append(
            f"user {user} step {step}: {redelivered}{got} messages, not {expected}: {texts}"
        )

    async def resume(self, user: int) -> None:
        """What a person does when the bot said nothing: /ocena, then "Kontynuuj"."""
        self.resumes += 1
        got, _ = await self.send(user, private_text(user, "/ocena"))
        if got != 1:
            self.note(user, -1, got, 1)
        message, data = self.api.button(user, "Kontynuuj")
        log = self.api.chat(user)
        log.resuming = True
        try:
            got, _ = await self.send(user, button_press(user, message, data))
        finally:
            log.resuming = False
        if got != 1:
            self.note(user, -2, got, 1)

    async def user(self, user: int) -> None:
        for step, (kind, value) in enumerate(STEPS):
            if step:
                self.check_prompt(user, step)
            if kind == "text":
                update = private_text(user, value)
            else:
                update = button_press(user, *self.api.button(user, value))
            got, again = await self.send(user, update)
            self.steps_done += 1
            if got == EXPECTED[step]:
                continue
            if again and got < EXPECTED[step]:
                # The dead worker handled it (and remembered its id) but died before sending
                # everything: the redelivery was dropped, so the user asks again.
                self.lost_replies += 1
                self.missing += EXPECTED[step] - got
            else:
                self.note(user, step, got, EXPECTED[step], again)
            await self.resume(user)
        self.check_prompt(user, len(STEPS))


@pytest.fixture
async def api() -> AsyncIterator[Telegram]:
    server = Telegram(set(standard_order()))
    await server.start()
    yield server
    await server.stop()


async def test_three_workers_on_postgres_behave_as_one(api: Telegram, tmp_path: Path) -> None:
    started = time.monotonic()
    async with fresh_schema_url() as url:
        due = await put_reminders(url)
        ports = [free_port() for _ in range(WORKERS)]
        workers = [
            await start_worker(
                i,
                worker_env(
                    api.base_url,
                    url,
                    TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram",
                    TELEGRAM_WEBHOOK_SECRET=SECRET,
                    TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
                    TELEGRAM_WEBHOOK_PORT=str(port),
                    CLUSTERBOT_REMINDER_OFFSETS="1m",
                ),
                port,
                tmp_path,
            )
            for i, port in enumerate(ports)
        ]
        timeout = aiohttp.ClientTimeout(total=60)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as client:
            run = Run(api, client, workers, standard_order())
            users: list[asyncio.Task[None]] = []
            try:
                await asyncio.gather(*(wait_healthy(client, w) for w in workers))
                up = time.monotonic()
                users += [asyncio.create_task(run.user(u)) for u in USERS]

                def reminded() -> int:
                    return sum(api.chat(u).reminders for u in USERS)

                # The kill comes when about a third of all turns are done, but never around
                # the reminders' due moment: claim-then-send is at most once by design, so a
                # kill between a claim and its send would lose that reminder. Before the due
                # moment (a fast run: the two survivors race for the reminders), or else once
                # every reminder was sent (a slow run: all three raced).
                def may_kill() -> bool:
                    if run.steps_done < TOTAL_TURNS // 3:
                        return False
                    early = datetime.now(UTC) < due - timedelta(seconds=1.5)
                    return early or reminded() >= len(USERS)

                await wait_until(may_kill, RUN_WITHIN)
                kill_before_due = reminded() == 0 and datetime.now(UTC) < due
                victim = workers[1]
                victim.killed = True  # out of the rotation: the load balancer saw it go
                in_flight = victim.in_flight
                victim.process.send_signal(signal.SIGKILL)
                await victim.process.wait()
                killed_at_step = run.steps_done
                await asyncio.sleep(0.2)  # calls the dead worker had made reach the fake
                run.settled.set()
                _, pending = await asyncio.wait(users, timeout=RUN_WITHIN)
                assert not pending, "users did not finish in time"
                finished = time.monotonic()
            finally:
                for task in users:
                    task.cancel()
                outcomes = await asyncio.gather(*users, return_exceptions=True)
                codes = await stop_workers(workers)
            logs = {w.index: w.log_tail() for w in workers}

        # A user who was shown the wrong question stopped there (its assertion).
        failed = [repr(o) for o in outcomes if isinstance(o, BaseException)]
        assert not failed, (failed, run.anomalies)
        assert victim.process.returncode == -signal.SIGKILL
        assert in_flight > 0, "the kill came while no request was in flight"
        for worker in workers:
            if worker is not victim:
                assert codes[worker.index] == 0, logs[worker.index]

        # Only the killed worker's posts failed, and each was delivered again.
        assert {index for index, _, _ in run.failures} <= {victim.index}, run.failures
        assert run.failures, "no post reached the worker as it died"
        # Every turn's messages add up: none twice, none out of order.
        assert not run.anomalies, "\n".join(run.anomalies)
        total = sum(len(api.chat(u).texts) for u in USERS)
        assert total == len(USERS) * sum(EXPECTED) + 2 * run.resumes - run.missing
        assert run.resumes == run.lost_replies
        for user in USERS:
            log = api.chat(user)
            assert not [t for t in log.texts if STALE in t], user
            assert "Wynik samooceny" in log.texts[-2], user
            # No standard's question twice, except when a resume shows the current one.
            first_time = [sid for sid, resumed in log.shown if not resumed]
            assert len(first_time) == len(set(first_time)), (user, log.shown)
            assert sorted({sid for sid, _ in log.shown}) == sorted(run.order), user
            # One reminder each, although every worker runs the scheduler.
            assert log.reminders == 1, (user, log.reminders)

        conn = await asyncpg.connect(url)
        try:
            rows = await conn.fetch(
                "SELECT a.user_id, a.status, count(n.standard_id) AS answers "
                "FROM assessments a LEFT JOIN answers n ON n.assessment_id = a.id "
                "GROUP BY a.id ORDER BY a.user_id"
            )
            keys = [r["update_key"] for r in await conn.fetch("SELECT * FROM processed_updates")]
            claims = await conn.fetchval("SELECT count(*) FROM delivery_ledger")
        finally:
            await conn.close()
        assert [(r["user_id"], r["status"], r["answers"]) for r in rows] == [
            (str(u), "completed", 36) for u in USERS
        ]
        # Each posted update handled once: its id remembered once (it is the primary key)
        # and every posted id is there, whichever worker handled it.
        assert sorted(keys) == sorted(f"telegram::{i}" for i in run.posted)
        assert claims == len(USERS)

    when_killed = "before the reminders were due" if kill_before_due else "after they were sent"
    print(
        f"\n3 workers: {TOTAL_TURNS} turns of {len(USERS)} users in {finished - up:.1f} s "
        f"({run.steps_done / (finished - up):.0f} turns/s; start-up {up - started:.1f} s); "
        f"worker {victim.index} killed after {killed_at_step} turns with {in_flight} posts in "
        f"flight; {len(run.failures)} posts delivered again; {run.lost_replies} replies lost "
        f"(the user resumed with /ocena); the kill came {when_killed}"
    )


async def lease_refused_twice(url: str) -> None:
    """Wait until a session's last lease attempt is seen anew twice (each one refused).

    A worker that does not lead tries ``pg_try_advisory_lock`` every 2 s on a connection of
    its own; the leader's lease connection runs ``SELECT 1`` checks instead.
    """
    conn = await asyncpg.connect(url)
    seen: set[object] = set()
    try:
        deadline = time.monotonic() + 30
        while len(seen) < 3:  # the attempt found first, and two after it
            rows = await conn.fetch(
                "SELECT pid, query_start FROM pg_stat_activity WHERE state = 'idle' "
                "AND datname = current_database() AND query LIKE '%pg_try_advisory_lock%'"
            )
            seen |= {(r["pid"], r["query_start"]) for r in rows}
            if time.monotonic() > deadline:
                raise TimeoutError("the other worker never tried for the lease")
            await asyncio.sleep(0.05)  # polls the server's view; proves nothing by itself
    finally:
        await conn.close()


async def test_only_the_lease_holder_polls_and_another_takes_over(
    api: Telegram, tmp_path: Path
) -> None:
    async with fresh_schema_url() as url:
        # Worker 0 reaches the fake Bot API at 127.0.0.1, worker 1 at 127.0.0.2.
        hosts = ["127.0.0.1", "127.0.0.2"]
        workers = [
            await start_worker(i, worker_env(api.base_url_on(host), url), 0, tmp_path)
            for i, host in enumerate(hosts)
        ]
        try:
            before = len(api.sent("setMyCommands"))
            # Both are up (each set its commands) and one of them polls.
            await api.wait_for(lambda: len(api.sent("setMyCommands")) >= before + 2, START_WITHIN)
            await api.wait_for(lambda: bool(api.polls), START_WITHIN)
            # Not a pause but a barrier: the server shows the other worker trying for the
            # lease (and failing) twice more after one began polling; only then count who polled.
            await lease_refused_twice(url)
            pollers = {host for _, host in api.polls}
            assert len(pollers) == 1, pollers
            leader = workers[hosts.index(pollers.pop())]
            other = workers[1 - leader.index]
            # Updates are answered while it leads.
            api.queue(private_text(7101, "/pomoc"))
            await api.wait_for(lambda: bool(api.chat(7101).texts), 10)

            leader.killed = True
            leader.process.send_signal(signal.SIGKILL)
            await leader.process.wait()
            killed = time.monotonic()
            api.queue(private_text(7102, "/pomoc"))
            await api.wait_for(lambda: bool(api.chat(7102).texts), 15)
            answered = time.monotonic()
            took_over = next(t for t, host in api.polls if host == hosts[other.index])
            assert took_over > killed
        finally:
            codes = await stop_workers(workers)
    assert codes[other.index] == 0, other.log_tail()
    print(
        f"\npolling: worker {other.index} polled {took_over - killed:.1f} s after the leader's "
        f"kill; the update queued after the kill answered in {answered - killed:.1f} s"
    )
