"""Search latency over a large archive (SRCH-1…3): ``python -m bench.search [--postgres]``.

Builds a fresh database with synthetic data through the real indexing code
(``teamline.search.index.put_many``): chat messages in many conversations, company phonebook
entries, and journal entries of many users. Then it times ``SearchService.search`` (what
``GET /api/v1/search`` runs, without HTTP) for one-fragment, two-fragment and digit queries
of a user who is in 50 conversations, and prints p50/p95/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database
from teamline.core.migrate import upgrade
from teamline.search.index import Document, put_many
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


async def run(url: str, messages: int, entries: int, journal: int, rounds: int) -> None:
    db = Database(url)
    await upgrade(db.engine)
    docs = documents(messages, entries, journal)
    started = time.perf_counter()
    for i in range(0, len(docs), BATCH):
        async with db.write() as session:
            await put_many(session, docs[i : i + BATCH])
    load = time.perf_counter() - started
    if not db.is_sqlite:
        async with db.write() as session:
            from sqlalchemy import text

            await session.execute(text("ANALYZE search_documents"))
    print(f"  indexed {len(docs):,} documents in {load:.0f} s ({len(docs) / load:,.0f}/s)")
    service = SearchService(db, Settings(), conversations_of)
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        hits = 0
        for _ in range(rounds):
            for query in queries:
                t0 = time.perf_counter()
                results = await service.search(USER, query, 10)
                timings.append((time.perf_counter() - t0) * 1000)
                hits += len(results)
        print(
            f"  {kind:<14} n={len(timings):<4} p50 {statistics.median(timings):6.1f} ms  "
            f"p95 {percentile(timings, 95):6.1f} ms  p99 {percentile(timings, 99):6.1f} ms  "
            f"(avg {hits / len(timings):.1f} results)"
        )
    await db.close()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--journal", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--postgres", nargs="?", const="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args(argv)
    print(
        f"search: {args.messages:,} messages, {args.entries:,} phonebook entries, "
        f"{args.journal:,} journal entries"
    )
    with tempfile.TemporaryDirectory(prefix="teamline-bench-search-") as tmp:
        print("sqlite")
        await run(
            f"sqlite+aiosqlite:///{Path(tmp) / 'search.db'}",
            args.messages,
            args.entries,
            args.journal,
            args.rounds,
        )
    if args.postgres:
        server = args.postgres
        database = f"teamline_bench_search_{int(time.time())}"
        admin = await asyncpg.connect(server)
        await admin.execute(f'CREATE DATABASE "{database}"')
        try:
            print("postgres")
            base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            await run(f"{base}/{database}", args.messages, args.entries, args.journal, args.rounds)
        finally:
            await admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            await admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
