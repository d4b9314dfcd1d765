"""Search latency over a large archive (SRCH-1…3): ``python -m bench.search [--full] [--postgres]``.

Builds a database with synthetic data through the real indexing code
(``teamline.search.index.put_many``): chat messages in many conversations, company phonebook
entries, and journal entries of many users. Then it times ``SearchService.search`` (what
``GET /api/v1/search`` runs, without HTTP) for one-fragment, two-fragment and digit queries
of a user who is in 50 conversations, and prints p50/p95/p99.

The default size is a tenth of the target (100,000 messages, 10,000 phonebook and 10,000
journal entries; a few minutes); ``--full`` is the target size (1,000,000 / 100,000 /
100,000; indexing alone takes several minutes). Building the data is most of the time:
``--sqlite-file PATH`` and ``--pg-database NAME`` keep the database and reuse it on the next
run with the same sizes (delete it after a change to the indexing code).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database
from teamline.core.migrate import upgrade
from teamline.search.index import Document, put_many
from teamline.search.models import SearchDocument
from teamline.search.service import SearchService

FIRST = [
    "Max",
    "Erika",
    "Jonas",
    "Lea",
    "Paul",
    "Sophie",
    "Lukas",
    "Mia",
    "Felix",
    "Emma",
    "Leon",
    "Hannah",
    "Noah",
    "Lena",
    "Elias",
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Marie",
    "Andreas",
    "Jürgen",
    "Özlem",
    "Sören",
    "Zoë",
    "François",
    "Björn",
    "Ömer",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Mustermann",
    "Musterfrau",
    "O'Neill",
    "Groß",
    "Köhler",
    "Jäger",
    "Bäcker",
]
SYLLABLES = [
    "an",
    "ber",
    "cha",
    "dor",
    "el",
    "fen",
    "gra",
    "hul",
    "in",
    "jo",
    "ka",
    "lem",
    "mo",
    "nor",
    "op",
    "pre",
    "qui",
    "ras",
    "sto",
    "tur",
    "un",
    "ver",
    "wal",
    "zen",
]
VOCABULARY = [
    "".join(random.Random(i).choices(SYLLABLES, k=random.Random(-i).randint(2, 4)))
    for i in range(6000)
]
BATCH = 5000
USER = "benchuser"
MEMBER_OF = 50


def name(rng: random.Random) -> str:
    first = rng.choice(FIRST)
    if rng.random() < 0.15:
        first = f"{first}-{rng.choice(FIRST)}"
    return f"{first} {rng.choice(LAST)}"


def number(rng: random.Random) -> str:
    return (
        f"+49{rng.choice(['30', '40', '89', '170', '151', '176'])}{rng.randint(1000000, 9999999)}"
    )


def documents(messages: int, entries: int, journal: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    docs: list[Document] = []
    for i in range(messages):
        text = " ".join(rng.choices(VOCABULARY, k=rng.randint(3, 14)))
        if rng.random() < 0.05:
            text += " " + name(rng)
        conversation = rng.randrange(2000)
        docs.append(
            Document(
                source="chat",
                ref_id=f"m{i}",
                scope=[f"cconv{conversation}"],
                title=name(rng),
                subtitle=text[:80],
                text=[text],
                extra={"conversation_id": f"conv{conversation}", "message_id": f"m{i}"},
            )
        )
    for i in range(entries):
        person = name(rng)
        docs.append(
            Document(
                source="company-phonebook",
                ref_id=f"e{i}",
                scope=["all"],
                title=person,
                subtitle=rng.choice(LAST) + " GmbH",
                numbers=[number(rng) for _ in range(rng.randint(1, 3))],
            )
        )
    for i in range(journal):
        owner = USER if i % 100 == 0 else f"user{i % 100}"
        party = name(rng)
        docs.append(
            Document(
                source="journal",
                ref_id=f"j{i}",
                scope=[f"u{owner}"],
                title=party,
                subtitle="missed",
                numbers=[number(rng)],
            )
        )
    return docs


async def conversations_of(_session: AsyncSession, _user: str) -> list[str]:
    return [f"conv{i}" for i in range(0, 2000, 2000 // MEMBER_OF)]


QUERIES = {
    "one fragment": ["mül", "and", "schn", "ber", "kla", "zen", "jo", "mus", "öz", "groß"],
    "two fragments": [
        "and muster",
        "max mül",
        "erika schm",
        "jo wag",
        "lea fisch",
        "ber an",
        "sö kö",
        "paul we",
        "mia neu",
        "ben wolf",
    ],
    "digits": [
        "0170 123",
        "+4930",
        "151 77",
        "0049 89 5",
        "176-99",
        "30 1234",
        "0151",
        "89 4567",
        "+49170",
        "401",
    ],
}


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


COPIED = ("rowid", "source", "ref_id", "scope", "title", "subtitle", "words", "digits", "extra")


async def copy_from_sqlite(db: Database, path: Path) -> None:
    """Fill an empty PostgreSQL bench database with the documents of a SQLite bench file
    (the same synthetic data, indexed by the same code) far faster than indexing them anew:
    rows by COPY, ``search_words`` by one INSERT (the rows ``put_many`` writes), its primary
    key built once."""
    import sqlite3

    source = sqlite3.connect(path)
    dsn = db.url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("ALTER TABLE search_words DROP CONSTRAINT pk_search_words")
        cursor = source.execute(f"SELECT {', '.join(COPIED)}, updated_at FROM search_documents")
        while rows := cursor.fetchmany(50_000):
            await connection.copy_records_to_table(
                "search_documents",
                records=[
                    (*row[:-1], datetime.fromisoformat(row[-1]).replace(tzinfo=UTC)) for row in rows
                ],
                columns=[*COPIED, "updated_at"],
            )
        # Migration 0007's statement: the rows put_many writes, from the documents.
        terms = importlib.import_module("teamline.migrations.versions.0007_search_words_table")
        await connection.execute(f"INSERT INTO search_words {terms.TERMS}")
        await connection.execute(
            "ALTER TABLE search_words "
            "ADD CONSTRAINT pk_search_words PRIMARY KEY (scope, word, rowid)"
        )
        await connection.execute(
            "SELECT setval('search_documents_rowid_seq', (SELECT max(rowid) FROM search_documents))"
        )
        await connection.execute("VACUUM ANALYZE search_documents")
        await connection.execute("VACUUM ANALYZE search_words")
    finally:
        await connection.close()
        source.close()


async def server_cpu(db: Database) -> float:
    """PostgreSQL: the CPU milliseconds used so far by the server processes serving this
    database (from /proc; this machine runs the server). Nothing on SQLite."""
    if db.is_sqlite:
        return 0.0
    async with db.read() as session:
        pids = (
            await session.scalars(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            )
        ).all()
    return _cpu_ms(pids)


def _cpu_ms(pids: Sequence[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


async def run(
    url: str,
    messages: int,
    entries: int,
    journal: int,
    rounds: int,
    copy_from: Path | None = None,
) -> None:
    db = Database(url)
    await upgrade(db.engine)
    if copy_from is not None:
        async with db.read() as session:
            empty = await session.scalar(select(SearchDocument.rowid).limit(1)) is None
        if empty:
            started = time.perf_counter()
            await copy_from_sqlite(db, copy_from)
            print(f"  copied from {copy_from} in {time.perf_counter() - started:.0f} s")
    async with db.read() as session:
        present = int(await session.scalar(select(func.count()).select_from(SearchDocument)) or 0)
    wanted = messages + entries + journal
    if present == wanted:
        print(f"  reusing {present:,} indexed documents")
    elif present:
        await db.close()
        raise SystemExit(f"  the database holds {present:,} documents, not {wanted:,}: delete it")
    else:
        docs = documents(messages, entries, journal)
        started = time.perf_counter()
        for i in range(0, len(docs), BATCH):
            async with db.write() as session:
                await put_many(session, docs[i : i + BATCH])
        load = time.perf_counter() - started
        print(f"  indexed {len(docs):,} documents in {load:.0f} s ({len(docs) / load:,.0f}/s)")
        del docs
    service = SearchService(db, Settings(), conversations_of)
    started = time.perf_counter()
    steps = await service.tidy()  # what the hourly housekeeping does
    if steps:
        print(f"  merged the index segments in {time.perf_counter() - started:.0f} s")
    async with db.write() as session:
        await session.execute(text("ANALYZE" if db.is_sqlite else "ANALYZE search_documents"))
    for query in [q for queries in QUERIES.values() for q in queries]:  # warm the cache
        await service.search(USER, query, 10)
    print(f"  load average before: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        cpu: list[float] = []
        hits = 0
        server_before = await server_cpu(db)
        for _ in range(rounds):
            for query in queries:
                t0, c0 = time.perf_counter(), time.process_time()
                results = await service.search(USER, query, 10)
                timings.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                hits += len(results)
        server = (await server_cpu(db) - server_before) / len(timings)
        # CPU time of this process (every thread): on SQLite all the work of a search, and
        # what it costs without other programs' processes sharing the cores; on PostgreSQL
        # only the client's part, and the server backends' CPU is shown as an average.
        print(
            f"  {kind:<14} n={len(timings):<4} p50 {statistics.median(timings):6.1f} ms  "
            f"p95 {percentile(timings, 95):6.1f} ms  p99 {percentile(timings, 99):6.1f} ms  "
            f"(avg {hits / len(timings):.1f} results; CPU p50 {statistics.median(cpu):.1f} "
            f"p95 {percentile(cpu, 95):.1f} ms"
            + ("" if db.is_sqlite else f"; server CPU avg {server:.1f} ms")
            + ")"
        )
    print(f"  load average after: {os.getloadavg()[0]:.1f}")
    await db.close()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the target size (1 M messages)")
    parser.add_argument("--messages", type=int, help="chat messages (100,000; --full 1,000,000)")
    parser.add_argument("--entries", type=int, help="phonebook entries (10,000; --full 100,000)")
    parser.add_argument("--journal", type=int, help="journal entries (10,000; --full 100,000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite-file", type=Path, help="keep the SQLite database here, reuse it")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--postgres", nargs="?", const="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--pg-database", help="keep the PostgreSQL database of this name, reuse it")
    parser.add_argument(
        "--pg-copy-from",
        type=Path,
        metavar="SQLITE_FILE",
        help="fill a new PostgreSQL database from a --sqlite-file of the same sizes "
        "(COPY, then the search_words rows put_many would write) instead of indexing "
        "every document anew",
    )
    args = parser.parse_args(argv)
    scale = 10 if args.full else 1
    messages = args.messages if args.messages is not None else 100_000 * scale
    entries = args.entries if args.entries is not None else 10_000 * scale
    journal = args.journal if args.journal is not None else 10_000 * scale
    print(
        f"search: {messages:,} messages, {entries:,} phonebook entries, {journal:,} journal entries"
    )
    if not args.no_sqlite:
        print("sqlite")
        if args.sqlite_file:
            url = f"sqlite+aiosqlite:///{args.sqlite_file.resolve()}"
            await run(url, messages, entries, journal, args.rounds)
        else:
            with tempfile.TemporaryDirectory(prefix="teamline-bench-search-") as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'search.db'}"
                await run(url, messages, entries, journal, args.rounds)
    if args.postgres:
        server = args.postgres
        database = args.pg_database or f"teamline_bench_search_{int(time.time())}"
        admin = await asyncpg.connect(server)
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{database}"')
        try:
            print("postgres")
            base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            await run(
                f"{base}/{database}", messages, entries, journal, args.rounds, args.pg_copy_from
            )
        finally:
            if not args.pg_database:
                await admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            await admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
