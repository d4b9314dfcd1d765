"""Chat fan-out: one group of N members, each connected live, messages at a fixed rate.

For each N, a fresh ``teamline serve`` process (temporary SQLite data directory) gets N users
in one group; every member holds a live event socket. One member then sends M messages at a
fixed rate (open loop: a slow answer does not delay the next send). Latency is from the moment
before the REST call is sent to the ``message.created`` frame's arrival at every member's
socket (the author's own included). In the same run the same workload goes to Matrix Synapse
(PyPI ``matrix-synapse`` in ``.venv-synapse``, SQLite, loopback): N users in one room, each
long-polling ``/sync`` with its ``since`` token, the author sending with ``PUT .../send``.

The receiving members live in separate client processes (``bench/fanout_client.py``) so that
the client side is not one saturated core; their CPU is measured and reported beside the
server's. Every message carries its send time (``time.monotonic()``, one clock for all the
processes of the machine). Server and client CPU and RSS come from ``/proc``.

``python -m bench.fanout [--sizes 10,100,1000] [--synapse-sizes 10,100] [--rate 100]
[--large-rate 10] [--seconds 15] [--no-synapse]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import synapse
from bench.fanout_client import settle_heap
from bench.presence_fanout import (
    PASSWORD,
    ProcSample,
    bounded,
    create_users,
    node_env,
    sample,
    start_server,
)
from teamline.client import ApiError, Client

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 900.0  # connecting all members, and the burst of set-up events after it
DELIVERY_TIMEOUT = 30.0  # after the last send, for the last arrivals
SEND_TIME_LIMIT = 3  # stop sending once 3x the planned sending time (+10 s) has passed
SEND_WINDOW = 64  # sends in flight at most (below the HTTP pool's 100 connections)
MEMBERS_PER_CLIENT = 250  # receiving members per client process (at least one process)
LARGE = 1000  # from this size on, the rate is --large-rate

SendOne = Callable[[int, str], Awaitable[bool]]  # (k, text) -> accepted


# -- the measured phase, the same for both servers ---------------------------------------


@dataclass
class Result:
    system: str
    members: int
    rate: float
    messages: int
    clients: int
    # Every member's arrival of every message: (message k, client process, member, ms).
    arrivals: list[tuple[int, int, int, float]] = field(default_factory=list)
    expected: int = 0
    received: int = 0
    duplicates: int = 0
    gaps: int = 0
    send_errors: int = 0
    accepted_per_s: float = 0.0  # messages / (last send answered - first send)
    unsent: int = 0  # not sent: the server had fallen too far behind (SEND_TIME_LIMIT)
    rest_ms: list[float] = field(default_factory=list)
    setup_seconds: float = 0.0
    measure_seconds: float = 0.0
    server_cpu: float = 0.0
    server_rss_mib: float = 0.0
    server_peak_mib: float = 0.0
    client_cpu: float = 0.0  # all client processes together
    client_max_cpu: float = 0.0  # the busiest client process
    errors: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return self.messages - self.unsent

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def lost(self) -> int:
        """Missing copies of messages the server accepted (a refused send creates nothing)."""
        return max(0, self.missing - self.send_errors * self.members)

    @property
    def latencies_ms(self) -> list[float]:
        return [ms for *_, ms in self.arrivals]

    def pct(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    def share(self, cpu_seconds: float) -> float:
        return 100 * cpu_seconds / self.measure_seconds if self.measure_seconds else 0.0


def progress(result: Result, step: str, since: float) -> None:
    print(
        f"    {result.system} {result.members}: {step} ({time.monotonic() - since:.1f} s)",
        flush=True,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (the value at or above q % of the samples)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


@dataclass
class ClientProcess:
    process: asyncio.subprocess.Process
    log: Path

    async def expect(self, word: str, timeout: float) -> str:
        """The next line; it must be ``word`` (or a JSON result, which ends the wait)."""
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        line = raw.decode().strip()
        if line != word and not line.startswith("{"):
            errors = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"client process said {line[:300]!r} instead of {word!r}\n{errors}")
        return line

    async def stop(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(ConnectionError):
            self.process.stdin.write(b"stop\n")
            await self.process.stdin.drain()
        while True:
            raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
            if not raw:
                raise RuntimeError("client process ended without a result")
            if raw.startswith(b"{"):
                result: dict[str, Any] = json.loads(raw)
                return result

    async def end(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()


async def spawn(job: dict[str, Any], log: Path) -> ClientProcess:
    with log.open("ab") as errors:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.fanout_client",
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
            limit=1 << 28,  # the result is one long JSON line
        )
    assert process.stdin is not None
    process.stdin.write(json.dumps(job).encode() + b"\n")
    await process.stdin.drain()
    return ClientProcess(process, log)


def cpu(pids: Sequence[int]) -> list[ProcSample]:
    return [sample(pid) for pid in pids]


async def measure(
    result: Result,
    *,
    kind: str,
    base_url: str,
    server_pid: int,
    members: list[dict[str, str]],
    extra: dict[str, Any],
    send_one: SendOne,
    log: Path,
) -> None:
    """Connect the members in client processes, send, collect; fills ``result``."""
    clients: list[ClientProcess] = []
    try:
        for c in range(result.clients):
            share = members[c :: result.clients]
            job = {"kind": kind, "base_url": base_url, "members": share}
            clients.append(await spawn({**job, **extra, "messages": result.messages}, log))
        t0 = time.monotonic()
        for client in clients:
            await client.expect("ready", READY_TIMEOUT)
        progress(result, f"{len(members)} members connected", t0)
        for client in clients:
            await client.expect("quiet", READY_TIMEOUT)
        progress(result, "quiet", t0)
        settle_heap()  # the sender's set-up (a client per member): see fanout_client

        pids = [os.getpid(), *(c.process.pid for c in clients)]
        server_before, clients_before = sample(server_pid), cpu(pids)
        started = time.monotonic()

        window = asyncio.Semaphore(SEND_WINDOW)

        async def one(k: int, due: float) -> None:
            requested = time.monotonic()
            try:
                ok = await send_one(k, f"bench {k} {due:.6f}")
            except (httpx.HTTPError, ApiError) as exc:
                ok = False
                if len(result.errors) < 3:
                    result.errors.append(f"send {k}: {exc!r}")
            finally:
                window.release()
            result.rest_ms.append((time.monotonic() - requested) * 1000)
            result.send_errors += 0 if ok else 1

        sends: list[asyncio.Task[None]] = []
        give_up = started + SEND_TIME_LIMIT * result.messages / result.rate + 10
        for k in range(result.messages):
            if time.monotonic() > give_up:  # far behind: a bounded run, the rest unsent
                result.unsent = result.messages - k
                break
            # Each message is stamped with its due time: a server that falls behind (and so
            # keeps the window full) is charged for the wait, as its users would feel it.
            due = started + k / result.rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await window.acquire()
            sends.append(asyncio.create_task(one(k, due)))
        progress(result, f"{result.sent} sends started", started)
        await asyncio.gather(*sends)
        result.accepted_per_s = result.sent / (time.monotonic() - started)
        progress(result, "sends answered", started)
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        received = True
        for client in clients:
            try:
                await client.expect("done", max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                received = False
        result.measure_seconds = time.monotonic() - started
        progress(result, "delivered" if received else "delivery timed out", started)
        server_after, clients_after = sample(server_pid), cpu(pids)

        result.server_cpu = server_after.cpu_seconds - server_before.cpu_seconds
        result.server_rss_mib = server_after.rss_mib
        result.server_peak_mib = server_after.peak_rss_mib
        pairs = zip(clients_after, clients_before, strict=True)
        spent = [a.cpu_seconds - b.cpu_seconds for a, b in pairs]
        result.client_cpu = sum(spent)  # the sender (this process) and the receivers
        result.client_max_cpu = max(spent)
        for c, client in enumerate(clients):
            figures = await client.stop(30)
            result.arrivals.extend((k, c, member, ms) for k, member, ms in figures["arrivals"])
            result.expected += figures["expected"] // result.messages * result.sent
            result.received += figures["received"]
            result.duplicates += figures["duplicates"]
            result.gaps += figures["gaps"]
            result.errors.extend(figures["errors"])
    finally:
        for client in clients:
            await client.end()


def client_count(members: int, requested: int | None) -> int:
    return requested or max(1, math.ceil(members / MEMBERS_PER_CLIENT))


# -- Teamline ------------------------------------------------------------------------------


async def run_teamline(members: int, rate: float, messages: int, clients: int | None) -> Result:
    result = Result("teamline", members, rate, messages, client_count(members, clients))
    with tempfile.TemporaryDirectory(prefix="teamline-fanout-") as tmp:
        data_dir = Path(tmp)
        env = node_env(data_dir, f"sqlite:///{data_dir / 'teamline.db'}")
        setup_started = time.monotonic()
        logins = await create_users(env, data_dir, members)
        server = start_server(env, data_dir)
        signed_in: list[Client] = []
        try:
            await server.wait_healthy()

            async def sign_in(login: str) -> Client:
                client = Client(server.base_url, timeout=60)
                signed_in.append(client)
                await client.sign_in(login, PASSWORD, device_name="bench")
                return client

            users = await bounded(logins, sign_in)
            author = users[0]
            ids = [u.account["id"] for u in users if u.account is not None]
            group = (
                await author.request(
                    "POST", "/groups", json={"name": "bench", "member_ids": ids[1:]}
                )
            ).json()
            path = f"/conversations/{group['conversation_id']}/messages"

            async def send_one(k: int, text: str) -> bool:
                response = await author.request(
                    "POST", path, json={"text": text, "client_id": f"bench-{k}"}
                )
                return response.status_code == 201

            tokens = [{"token": u.token or ""} for u in users]
            result.setup_seconds = time.monotonic() - setup_started
            await measure(
                result,
                kind="teamline",
                base_url=server.base_url,
                server_pid=server.pid,
                members=tokens,
                extra={},
                send_one=send_one,
                log=data_dir / "clients.log",
            )
        except Exception as exc:
            raise RuntimeError(f"{exc}\nserver log:\n{server.tail()}") from exc
        finally:
            await server.stop()
            for client in signed_in:
                await client.aclose()
    return result


# -- Synapse -------------------------------------------------------------------------------


async def run_synapse(members: int, rate: float, messages: int, clients: int | None) -> Result:
    result = Result(
        f"synapse {synapse.version()}", members, rate, messages, client_count(members, clients)
    )
    with tempfile.TemporaryDirectory(prefix="synapse-fanout-") as tmp:
        data_dir = Path(tmp)
        setup_started = time.monotonic()
        server = synapse.start(data_dir)
        try:
            await server.wait_healthy()
            progress(result, "homeserver up", setup_started)
            room_id, accounts = await synapse.room_with_members(server, members)
            progress(result, "users registered, room joined", setup_started)
            author = accounts[0]
            async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:

                async def send_one(k: int, text: str) -> bool:
                    response = await synapse.send(http, room_id, author.token, f"b{k}", text)
                    return response.status_code == 200

                result.setup_seconds = time.monotonic() - setup_started
                await measure(
                    result,
                    kind="synapse",
                    base_url=server.base_url,
                    server_pid=server.pid,
                    members=[{"token": a.token, "user_id": a.user_id} for a in accounts],
                    extra={"room_id": room_id},
                    send_one=send_one,
                    log=data_dir / "clients.log",
                )
        except Exception as exc:
            raise RuntimeError(f"{exc}\nsynapse log:\n{server.tail()}") from exc
        finally:
            t0 = time.monotonic()
            await server.stop()
            progress(result, "homeserver stopped", t0)
    return result


# -- the report ----------------------------------------------------------------------------


def table(results: Sequence[Result]) -> str:
    head = (
        f"{'server':<16} {'members':>7} {'msg/s':>5} {'M':>5} {'frames':>7} {'miss':>5} "
        f"{'lost':>4} {'p50 ms':>7} {'p99 ms':>8} {'max ms':>8} {'send p50':>8} {'err':>3} "
        f"{'acc/s':>5} "
        f"{'srv CPU%':>8} {'ms/msg':>6} {'RSS MiB':>7} {'peak':>6} {'cli':>3} {'cli CPU%':>8} "
        f"{'busiest':>7} {'setup s':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        send = statistics.median(r.rest_ms) if r.rest_ms else float("nan")
        lines.append(
            f"{r.system:<16} {r.members:>7} {r.rate:>5.0f} {r.sent:>5} "
            f"{len(r.latencies_ms):>7} {r.missing:>5} {r.lost:>4} {r.pct(50):>7.1f} "
            f"{r.pct(99):>8.1f} "
            f"{max(r.latencies_ms, default=float('nan')):>8.1f} {send:>8.1f} "
            f"{r.send_errors:>3} {r.accepted_per_s:>5.0f} {r.share(r.server_cpu):>8.0f} "
            f"{1000 * r.server_cpu / max(1, r.sent):>6.1f} "
            f"{r.server_rss_mib:>7.0f} "
            f"{r.server_peak_mib:>6.0f} {r.clients:>3} {r.share(r.client_cpu):>8.0f} "
            f"{r.share(r.client_max_cpu):>7.0f} {r.setup_seconds:>7.1f}"
        )
    return "\n".join(lines)


LEGEND = """\
M: messages sent (fewer than planned when the server fell 3x behind: the run is bounded);
frames: messages measured at members (members x M when none is missing); miss: never arrived;
lost: of those, copies of messages the server had accepted (miss less members x err).
p50/p99/max: from the message's due time (open loop at the rate; at most 64 sends in flight)
to its arrival at a member, over all members and messages (the author's own copy included).
send p50: the send request's round trip; err: sends refused or failed; acc/s: messages / time
until the last send was answered. srv CPU%: the server process (user+system) during the
measured phase, as a share of one core; ms/msg: server CPU time per message (less sensitive to
other load on the machine); RSS after the phase, peak = VmHWM. cli: receiving client
processes; cli CPU%: they and the sending process together; busiest: the busiest one (100 % =
one saturated core). setup: users, group/room, tokens. Client and server share this machine's
cores. Synapse: presence off, rate limits off, members long-poll /sync with a filter that
keeps only the room timeline."""


def ratio(ours: Result, theirs: Result) -> str:
    a, b = ours.pct(99), theirs.pct(99)
    if not (a > 0 and b == b):  # nan-safe
        return "n/a"
    return f"{b / a:.1f}x"


async def main(
    *,
    sizes: Sequence[int],
    rate: float,
    large_rate: float,
    seconds: float,
    with_synapse: bool,
    synapse_sizes: Sequence[int] = (),
    clients: int | None = None,
    dump: Path | None = None,
) -> int:
    started = time.monotonic()
    why_not = synapse.ensure_installed() if with_synapse else "not asked for (--no-synapse)"
    systems: list[tuple[str, Callable[..., Awaitable[Result]]]] = [("teamline", run_teamline)]
    if why_not is None:
        systems.append(("synapse", run_synapse))
    print(
        f"chat fan-out: sizes {list(sizes)}, {rate:g} msg/s ({large_rate:g} msg/s from "
        f"{LARGE} members), {seconds:g} s each; "
        + (
            f"Synapse at sizes {list(synapse_sizes)}"
            if why_not is None
            else f"Teamline only: Synapse {why_not}"
        ),
        flush=True,
    )
    results: list[Result] = []
    failures: list[str] = []
    for members in sorted(set(sizes) | set(synapse_sizes if why_not is None else ())):
        size_rate = large_rate if members >= LARGE else rate
        messages = max(1, round(size_rate * seconds))
        for name, run in systems:
            if members not in (sizes if name == "teamline" else synapse_sizes):
                continue
            t0 = time.monotonic()
            try:
                result = await run(members, size_rate, messages, clients)
            except Exception as exc:
                failures.append(f"{name}/{members}: {exc}")
                print(f"  {name:<8} {members:>5} members: FAILED {str(exc)[:2000]}", flush=True)
                continue
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
            load = os.getloadavg()[0]
            print(
                f"  {name:<8} {members:>5} members at {size_rate:g}/s: "
                f"p50 {result.pct(50):.1f} ms, p99 {result.pct(99):.1f} ms, "
                f"missing {result.missing} (lost {result.lost}), "
                f"server CPU {result.share(result.server_cpu):.0f} %, "
                f"{time.monotonic() - t0:.0f} s, machine load {load:.1f}, "
                f"{len(late_messages(result))} messages late to a member past p99",
                flush=True,
            )
    print()
    print(table(results))
    print()
    print(LEGEND)
    ours = {r.members: r for r in results if r.system == "teamline"}
    theirs = {r.members: r for r in results if r.system != "teamline"}
    for members in sorted(set(ours) & set(theirs)):
        print(
            f"p99 Synapse / Teamline at {members} members: {ratio(ours[members], theirs[members])}"
        )
    for r in results:
        for error in r.errors:
            print(f"{r.system}/{r.members}: {error}")
    if why_not is not None:
        print(f"Synapse not run: {why_not}")
    if dump is not None:
        write_arrivals(dump, results)
        print(f"every arrival: {dump}")
    print(f"total {time.monotonic() - started:.0f} s")
    lost = any(r.lost for r in results if r.system == "teamline")
    return 1 if lost or failures else 0


def late_messages(result: Result) -> list[int]:
    """The messages some member received later than the run's p99: when they come in runs
    of neighbours, something stalled (the first member on time and the rest late: a pause
    on the receiving side; every member late: the server or the sender)."""
    p99 = result.pct(99)
    return sorted({k for k, _client, _member, ms in result.arrivals if ms > p99})


def write_arrivals(path: Path, results: Sequence[Result]) -> None:
    """One CSV line per member and message, for finding stalls (``--dump``)."""
    with path.open("w") as out:
        out.write("system,members,message,client,member,latency_ms\n")
        for r in results:
            for k, client, member, ms in sorted(r.arrivals):
                out.write(f"{r.system},{r.members},{k},{client},{member},{ms}\n")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    add_arguments(parser)
    parser.add_argument(
        "--clients",
        type=int,
        default=None,
        help=f"receiving client processes (default: one per {MEMBERS_PER_CLIENT} members)",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        default=None,
        help="write every member's arrival of every message to this CSV file",
    )
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    parser.add_argument(
        f"--{prefix}sizes", default="10,100,1000", help="group sizes (default %(default)s)"
    )
    parser.add_argument(
        f"--{prefix}rate", type=float, default=100.0, help="messages per second (%(default)s)"
    )
    parser.add_argument(
        f"--{prefix}large-rate",
        type=float,
        default=10.0,
        help=f"messages per second from {LARGE} members on (default %(default)s)",
    )
    parser.add_argument(
        f"--{prefix}seconds", type=float, default=15.0, help="sending time per size (%(default)s)"
    )
    parser.add_argument(
        f"--{prefix}synapse-sizes",
        default="10,100",
        help="group sizes for Synapse (default %(default)s; 1000 adds about 12 minutes of "
        "registering and joining)",
    )
    parser.add_argument(
        "--no-synapse", action="store_true", help="Teamline only (no Matrix Synapse run)"
    )


def run_from(args: argparse.Namespace, prefix: str = "") -> int:
    def get(name: str) -> Any:
        return getattr(args, (prefix + name).replace("-", "_"))

    def sizes(name: str) -> list[int]:
        return [int(n) for n in str(get(name)).split(",") if n.strip()]

    return asyncio.run(
        main(
            sizes=sizes("sizes"),
            synapse_sizes=sizes("synapse-sizes"),
            rate=get("rate"),
            large_rate=get("large-rate"),
            seconds=get("seconds"),
            with_synapse=not args.no_synapse,
            clients=getattr(args, "clients", None),
            dump=getattr(args, "dump", None),
        )
    )


if __name__ == "__main__":
    raise SystemExit(run_from(parse(sys.argv[1:])))
