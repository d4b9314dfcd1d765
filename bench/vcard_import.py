"""vCard import rate (BOOK-1): ``python -m bench.vcard_import [--cards N] [--postgres]``.

``make bench`` runs 20,000 cards; the target (>= 1,000 cards/s) is for 100,000:
``python -m bench.vcard_import --cards 100000 --postgres``.

Generates N vCard 3.0 cards (names with umlauts, two or three typed numbers, e-mail, folded
notes), then imports them into the company book through ``PhonebookService.import_file``
(what ``POST /api/v1/phonebooks/company/import`` runs, parsing included) three times: into
an empty book, the same file again (nothing changed), and a file where every card changed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select

from teamline.accounts.service import Principal
from teamline.config import Settings
from teamline.container import Container
from teamline.core.ids import utcnow
from teamline.core.migrate import upgrade
from teamline.phonebook.models import PhonebookEntry

FIRST = ["Jürgen", "Özlem", "Sören", "Anna", "Björn", "Lea", "Max", "Zoë", "François", "Ömer"]
LAST = ["Müller", "Schäfer", "Groß", "Köhler", "Jäger", "Weiß", "Bäcker", "Schröder", "Koch"]


def cards(count: int, variant: int) -> bytes:
    rng = random.Random(11)
    lines: list[str] = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        note = f"Kunde seit {2000 + i % 25}, Variante {variant}. " * 3
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"UID:bench-{i}",
            f"N:{last};{first};;;",
            f"FN:{first} {last} {i}",
            f"ORG:{last} GmbH",
            f"TEL;TYPE=WORK,VOICE:+49 30 {1000000 + i}",
            f"TEL;TYPE=CELL:+49 170 {2000000 + i}",
            f"EMAIL;TYPE=INTERNET:{first.lower()}.{i}@example.com",
            "NOTE:" + note[:60] + "\r\n " + note[60:],
            "END:VCARD",
        ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(database: str | None) -> dict[int, float]:
    """PostgreSQL's CPU seconds so far, by process: the backends serving ``database`` (their
    title names it) and the server's own writers (WAL writer, checkpointer, background
    writer), read from /proc (this machine runs the server). Empty on SQLite."""
    if database is None:
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres: ") or not (
                f" {database} " in title or title.rstrip().endswith(_WRITERS)
            ):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return found


_WRITERS = ("walwriter", "checkpointer", "background writer")


async def run(settings: Settings, count: int, database: str | None = None) -> None:
    container = Container.build(settings)
    await upgrade(container.db.engine)
    admin = Principal(user_id="bench", device_id="bench", role="admin")
    for label, body in (
        ("empty book", cards(count, 1)),
        ("same file again", cards(count, 1)),
        ("every card changed", cards(count, 2)),
    ):
        started, cpu, parsing = time.perf_counter(), time.process_time(), _children_cpu()
        server = _server_cpu(database)
        since = utcnow()
        result = await container.phonebook.import_file(admin, "company", body, "text/vcard")
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu  # this process only (not PostgreSQL's server)
        parsing = _children_cpu() - parsing  # the process that parsed the file's pieces
        # A backend that began during the import counts from 0; one that ended is missed
        # (the pool keeps its connections).
        database_cpu = sum(v - server.get(pid, 0.0) for pid, v in _server_cpu(database).items())
        async with container.db.read() as session:
            written = await session.scalar(
                select(func.count()).where(PhonebookEntry.updated_at >= since)
            )
        per_card = 1000 / count  # ms a card
        postgres = f" + {database_cpu:.1f} s PostgreSQL" if database is not None else ""
        print(
            f"  {label:<20} {count / seconds:8,.0f} cards/s  ({seconds:.1f} s; CPU "
            f"{cpu:.1f} s Teamline + {parsing:.1f} s parsing{postgres} = "
            f"{(cpu + parsing + database_cpu) * per_card:.2f} ms a card; load "
            f"{os.getloadavg()[0]:.1f}; imported {result.imported}, updated {result.updated}, "
            f"errors {len(result.errors)}; entries written {written})"
        )
    await container.db.close()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vcard_import", description=__doc__)
    parser.add_argument(
        "--cards",
        type=int,
        default=20_000,
        help="cards per file (default %(default)s; the target size is 100000)",
    )
    parser.add_argument(
        "--postgres", nargs="?", const="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args(argv)
    print(f"vCard import: {args.cards:,} cards")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="teamline-bench-vcard-") as tmp:
            print("sqlite")
            await run(Settings(data_dir=Path(tmp)), args.cards)
    if args.postgres:
        database = f"teamline_bench_vcard_{int(time.time())}"
        admin = await asyncpg.connect(args.postgres)
        await admin.execute(f'CREATE DATABASE "{database}"')
        try:
            print("postgres")
            base = args.postgres.rsplit("/", 1)[0]
            with tempfile.TemporaryDirectory(prefix="teamline-bench-vcard-") as tmp:
                await run(
                    Settings(data_dir=Path(tmp), database_url=f"{base}/{database}"),
                    args.cards,
                    database,
                )
        finally:
            await admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            await admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
