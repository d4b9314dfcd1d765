"""Presence fan-out: one user's presence change reaching N live event sockets.

For each N, a fresh ``teamline serve`` process (temporary SQLite data directory, or a
temporary PostgreSQL database) gets N users, each signed in with a live event socket. Once the
sockets are quiet, one user changes presence M times at a fixed rate (open loop: a slow answer
does not delay the next change). Latency is measured from the moment the REST call is sent to
the receipt of the ``presence.changed`` frame at every socket (the actor's own included).
The server process's CPU time and RSS come from ``/proc/<pid>/stat`` and ``/proc/<pid>/status``.
Everything runs on loopback; the server is stopped by its PID at the end of each size.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from teamline.client import Client

T = TypeVar("T")
R = TypeVar("R")

TEAMLINE = str(Path(sys.executable).with_name("teamline"))
DEFAULT_PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password"
CLK_TCK = os.sysconf("SC_CLK_TCK")
START_TIMEOUT = 30.0
SETTLE_TIMEOUT = 60.0
DELIVERY_TIMEOUT = 20.0
STOP_TIMEOUT = 30.0
CONCURRENCY = 16  # sign-ins and socket opens in flight at once
TIME_BUDGET = 170.0  # seconds for the whole run; sizes that would not fit are skipped


# -- the server process --------------------------------------------------------------------


@dataclass(frozen=True)
class ProcSample:
    cpu_seconds: float  # user + system
    rss_mib: float
    peak_rss_mib: float


def sample(pid: int) -> ProcSample:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; fields[0] is state
    utime, stime = int(fields[11]), int(fields[12])
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )

    def mib(key: str) -> float:
        return int(status[key].split()[0]) / 1024  # "123456 kB"

    return ProcSample((utime + stime) / CLK_TCK, mib("VmRSS"), mib("VmHWM"))


async def wait_healthy(
    process: subprocess.Popen[bytes],
    base_url: str,
    path: str,
    tail: Callable[[], str],
    what: str,
    timeout: float,
) -> None:
    """Poll ``path`` until it answers 200; fail with the log's tail when the process exits
    or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited:\n{tail()}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(path)).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not become healthy:\n{tail()}")
            await asyncio.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    async def wait_healthy(self) -> None:
        await wait_healthy(
            self.process, self.base_url, "/healthz", self.tail, "the server", START_TIMEOUT
        )

    async def stop(self) -> float:
        """SIGTERM, wait (SIGKILL after a while); seconds the shutdown took."""
        started = time.monotonic()
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(self.process.wait, STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()
        return time.monotonic() - started


def node_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMLINE_")}
    env.update(
        TEAMLINE_DATA_DIR=str(data_dir),
        TEAMLINE_DATABASE_URL=database_url,
        TEAMLINE_ARGON2_TIME_COST="1",
        TEAMLINE_ARGON2_MEMORY_KIB="8",
        TEAMLINE_ARGON2_PARALLELISM="1",
        TEAMLINE_LOG_LEVEL="warning",
    )
    return env


async def create_users(env: dict[str, str], data_dir: Path, n: int) -> list[str]:
    """N users through the CLI's CSV import; their logins."""
    logins = [f"user{i:04d}" for i in range(n)]
    path = data_dir / "users.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["login", "name", "password"])
        writer.writerows([login, f"Bench User {login[4:]}", PASSWORD] for login in logins)
    process = await asyncio.create_subprocess_exec(
        TEAMLINE,
        "admin",
        "user",
        "import",
        str(path),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"user import failed:\n{output.decode(errors='replace')}")
    return logins


def start_server(env: dict[str, str], data_dir: Path) -> Server:
    port = free_port()
    log_path = data_dir / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [TEAMLINE, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Server(process, port, log, log_path)


# -- databases -----------------------------------------------------------------------------


def with_database(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextlib.asynccontextmanager
async def postgres_database(server_url: str) -> AsyncIterator[str]:
    """A database of this run's own on the PostgreSQL server; dropped afterwards."""
    name = f"teamline_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield with_database(server_url, name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def sqlite_database(data_dir: Path) -> AsyncIterator[str]:
    yield f"sqlite:///{data_dir / 'teamline.db'}"


# -- the sockets ---------------------------------------------------------------------------


@dataclass
class Clock:
    """What all readers saw together."""

    last_event_at: float = 0.0
    events: int = 0
    expected: int = 0  # measured frames to wait for (users x changes)
    arrived: int = 0
    all_arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def arrival(self) -> None:
        self.arrived += 1
        if self.expected and self.arrived >= self.expected:
            self.all_arrived.set()


@dataclass
class Reader:
    """One live event socket; notes when each of the actor's bench changes arrived."""

    conn: ClientConnection
    actor_id: str
    clock: Clock
    arrivals: dict[int, float] = field(default_factory=dict)

    async def run(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.conn:
                now = time.perf_counter()
                self.clock.last_event_at = now
                self.clock.events += 1
                text = raw if isinstance(raw, str) else raw.decode()
                if '"bench ' not in text:  # cheap filter; parse only the measured frames
                    continue
                event = json.loads(text)
                data = event["data"]
                if event["type"] == "presence.changed" and data["user_id"] == self.actor_id:
                    self.arrivals[int(data["presence"]["text"].split()[1])] = now
                    self.clock.arrival()


async def open_socket(client: Client) -> ClientConnection:
    assert client.token is not None
    url = "ws" + client.base_url[len("http") :] + "/api/v1/events"
    # max_queue=None: the readers keep up, and a bounded queue would turn a momentary
    # backlog into TCP back-pressure on the server, which is not what is measured here.
    return await websockets.connect(
        url,
        additional_headers={"Authorization": f"Bearer {client.token}"},
        max_queue=None,
        open_timeout=SETTLE_TIMEOUT,  # a busy server answers handshakes late, not never
    )


async def bounded(
    items: Sequence[T], job: Callable[[T], Awaitable[R]], limit: int = CONCURRENCY
) -> list[R]:
    """``job`` for every item, at most ``limit`` at a time; results in item order."""
    semaphore = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with semaphore:
            return await job(item)

    return list(await asyncio.gather(*(one(item) for item in items)))


async def wait_quiet(clock: Clock, quiet: float, timeout: float) -> None:
    """Until no event arrived for ``quiet`` seconds from now on (fail after ``timeout``)."""
    deadline = time.perf_counter() + timeout
    clock.last_event_at = max(clock.last_event_at, time.perf_counter())
    while time.perf_counter() < deadline:
        if time.perf_counter() - clock.last_event_at >= quiet:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"the sockets did not go quiet within {timeout} s")


# -- one measurement -----------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    users: int
    changes: int
    rate: float
    latencies_ms: list[float]
    missing: int
    rest_ms: list[float]
    setup_seconds: float
    setup_events: int
    setup_cpu: float
    cpu_seconds: float
    measure_seconds: float
    rss_mib: float
    peak_rss_mib: float
    stop_seconds: float

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]


async def measure(
    backend: str, database_url: str, data_dir: Path, users: int, changes: int, rate: float
) -> Result:
    env = node_env(data_dir, database_url)
    setup_started = time.perf_counter()
    logins = await create_users(env, data_dir, users)
    server = start_server(env, data_dir)
    clients: list[Client] = []
    readers: list[Reader] = []
    tasks: list[asyncio.Task[None]] = []
    clock = Clock()
    stop_seconds = 0.0
    try:
        await server.wait_healthy()
        cpu_at_start = sample(server.pid).cpu_seconds

        async def sign_in(login: str) -> Client:
            client = Client(server.base_url, timeout=60)
            clients.append(client)
            await client.sign_in(login, PASSWORD, device_name="bench")
            return client

        signed_in = await bounded(logins, sign_in)
        actor = signed_in[0]
        assert actor.account is not None
        actor_id: str = actor.account["id"]

        async def connect(client: Client) -> None:
            conn = await open_socket(client)
            reader = Reader(conn, actor_id, clock)
            readers.append(reader)
            tasks.append(asyncio.create_task(reader.run()))

        await bounded(signed_in, connect)
        await wait_quiet(clock, quiet=0.5, timeout=SETTLE_TIMEOUT)
        setup_seconds = time.perf_counter() - setup_started
        setup_events = clock.events
        before = sample(server.pid)

        # The measured phase: M changes at a fixed rate, each call its own task.
        sent: dict[int, float] = {}
        rest_ms: list[float] = []

        async def change(k: int) -> None:
            sent[k] = time.perf_counter()
            await actor.set_presence("available", f"bench {k}")
            rest_ms.append((time.perf_counter() - sent[k]) * 1000)

        clock.expected = users * changes
        started = time.perf_counter()
        calls: list[asyncio.Task[None]] = []
        for k in range(changes):
            await asyncio.sleep(max(0.0, started + k / rate - time.perf_counter()))
            calls.append(asyncio.create_task(change(k)))
        await asyncio.gather(*calls)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(clock.all_arrived.wait(), DELIVERY_TIMEOUT)
        measure_seconds = time.perf_counter() - started
        after = sample(server.pid)

        latencies = [
            (at - sent[k]) * 1000 for r in readers for k, at in r.arrivals.items() if k in sent
        ]
        missing = users * changes - len(latencies)
        result = Result(
            backend=backend,
            users=users,
            changes=changes,
            rate=rate,
            latencies_ms=latencies,
            missing=missing,
            rest_ms=rest_ms,
            setup_seconds=setup_seconds,
            setup_events=setup_events,
            setup_cpu=before.cpu_seconds - cpu_at_start,
            cpu_seconds=after.cpu_seconds - before.cpu_seconds,
            measure_seconds=measure_seconds,
            rss_mib=after.rss_mib,
            peak_rss_mib=after.peak_rss_mib,
            stop_seconds=0.0,
        )
    finally:
        # Stop the server while the sockets are open: it closes them itself.
        stop_seconds = await server.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for reader in readers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader.conn.close(), 2)
        for client in clients:
            await client.aclose()
    result.stop_seconds = stop_seconds
    return result


# -- the report ----------------------------------------------------------------------------


def table(results: Sequence[Result]) -> str:
    head = (
        f"{'db':<8} {'users':>5} {'M':>3} {'rate/s':>6} {'frames':>6} {'miss':>4} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'REST p50':>8} "
        f"{'CPU s':>6} {'CPU %':>6} {'RSS MiB':>7} {'peak':>6} "
        f"{'setup s':>7} {'setup CPU':>9} {'setup frames':>12} {'stop s':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        cpu_pct = 100 * r.cpu_seconds / r.measure_seconds if r.measure_seconds else 0.0
        rest = statistics.median(r.rest_ms) if r.rest_ms else float("nan")
        lines.append(
            f"{r.backend:<8} {r.users:>5} {r.changes:>3} {r.rate:>6.1f} "
            f"{len(r.latencies_ms):>6} {r.missing:>4} "
            f"{r.pct(50):>7.1f} {r.pct(99):>7.1f} {max(r.latencies_ms, default=0):>7.1f} "
            f"{rest:>8.1f} {r.cpu_seconds:>6.2f} {cpu_pct:>6.1f} {r.rss_mib:>7.1f} "
            f"{r.peak_rss_mib:>6.1f} {r.setup_seconds:>7.1f} {r.setup_cpu:>9.2f} "
            f"{r.setup_events:>12} {r.stop_seconds:>6.1f}"
        )
    return "\n".join(lines)


LEGEND = """\
frames: presence.changed frames measured (users x M); miss: frames that never arrived.
p50/p99/max: from sending the REST call to receipt at a socket, over all sockets and changes.
REST p50: the PUT /me/presence round trip. CPU s / CPU %: server process (user+system) during
the measured phase, and as a share of one core. RSS: server after the phase; peak: VmHWM.
setup: creating users (CLI import), signing in, opening sockets until quiet; setup frames: what
the sockets received meanwhile (sockets opening together are announced together, at most
every 250 ms). stop: SIGTERM to
exit with all sockets open. Client and server share this machine's cores."""


async def measure_in(backend: str, pg_server: str, users: int, changes: int, rate: float) -> Result:
    """One size on a fresh database: a temporary SQLite file or PostgreSQL database."""
    with tempfile.TemporaryDirectory(prefix="teamline-bench-") as tmp:
        data_dir = Path(tmp)
        database = (
            postgres_database(pg_server) if backend == "postgres" else sqlite_database(data_dir)
        )
        async with database as url:
            return await measure(backend, url, data_dir, users, changes, rate)


def estimate(done: dict[int, float], users: int) -> float:
    """Seconds a size will take, extrapolated from the sizes done (a power law in users).

    The exponent is fitted to the two largest sizes done and kept within 1..2: socket opens
    and user creation are announced to every user, so the setup grows up to quadratically.
    From one small size (fixed costs dominate) it is 1; ``main`` also bounds each size hard.
    """
    if not done:
        return 0.0
    sizes = sorted(done)
    largest = sizes[-1]
    exponent = 1.0
    if len(sizes) > 1 and done[sizes[-2]] > 0:
        previous = sizes[-2]
        exponent = math.log(done[largest] / done[previous]) / math.log(largest / previous)
        exponent = min(2.0, max(1.0, exponent))
    growth: float = max(1.0, users / largest) ** exponent
    return done[largest] * growth


async def main(
    *, backends: Sequence[str], pg_server: str, sizes: Sequence[int], changes: int, rate: float
) -> int:
    run_started = time.monotonic()
    results: list[Result] = []
    skipped: list[str] = []
    took: dict[str, dict[int, float]] = {backend: {} for backend in backends}
    print(
        f"presence fan-out: sizes {list(sizes)}, {changes} changes at {rate}/s, "
        f"backends {list(backends)}",
        flush=True,
    )
    for users in sorted(sizes):
        for backend in backends:
            spent = time.monotonic() - run_started
            if spent + estimate(took[backend], users) > TIME_BUDGET:
                skipped.append(f"{backend}/{users}")
                continue
            started = time.monotonic()
            try:
                # A hard bound as well: an estimate can be wrong on a busy machine.
                async with asyncio.timeout(max(30.0, TIME_BUDGET - spent)):
                    result = await measure_in(backend, pg_server, users, changes, rate)
            except TimeoutError:
                skipped.append(f"{backend}/{users} (aborted)")
                continue
            took[backend][users] = time.monotonic() - started
            results.append(result)
            print(
                f"  {backend:<8} {users:>4} users: p50 {result.pct(50):.1f} ms, "
                f"p99 {result.pct(99):.1f} ms, missing {result.missing}, "
                f"{took[backend][users]:.0f} s",
                flush=True,
            )
    print()
    print(table(results))
    print()
    print(LEGEND)
    if skipped:
        print(
            f"skipped, would not fit the time budget of {TIME_BUDGET:.0f} s: "
            f"{', '.join(skipped)} (run with --sizes to choose)"
        )
    print(f"total {time.monotonic() - run_started:.0f} s")
    return 1 if any(r.missing for r in results) else 0
