"""All SQL of search queries and recent searches."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.search.index import WORD_MAX
from teamline.search.models import RecentSearch

Source = TypeVar("Source", bound=str)

# How many index rows an any-order source reads per wanted document (see match_sources).
ANY_ORDER_SCAN = 8
# Above every character a word may hold: the end of a fragment's range of words (the column
# compares by code point, COLLATE "C").
LAST_CHARACTER = "\U0010ffff"
COLUMNS = "d.rowid, d.source, d.ref_id, d.scope, d.title, d.subtitle, d.extra"


def _fts_string(fragments: Sequence[str]) -> str:
    return " AND ".join(f'"{fragment}"*' for fragment in fragments)


async def match_words(
    session: AsyncSession,
    fragments: Sequence[str],
    scope_tokens: Sequence[str],
    limit: int,
    table: str = "search_fts",
) -> Sequence[Any]:
    """Documents of one source whose words start with every fragment, visible to the scope
    tokens; newest first. The visibility test runs inside the full-text index."""
    if not scope_tokens:
        return []
    if session.get_bind().dialect.name == "sqlite":
        scope = " OR ".join(f'"{token}"' for token in scope_tokens)
        match = f"words: ({_fts_string(fragments)}) AND scope: ({scope})"
        query = text(
            f"SELECT {COLUMNS} FROM {table} f JOIN search_documents d ON d.rowid = f.rowid "
            f"WHERE {table} MATCH :m ORDER BY f.rowid DESC LIMIT :n"
        )
        return (await session.execute(query, {"m": match, "n": limit})).all()
    return (await match_sources(session, fragments, {"": scope_tokens}, limit)).get("", [])


async def match_sources(
    session: AsyncSession,
    fragments: Sequence[str],
    scope_tokens: Mapping[Source, Sequence[str]],
    limit: int,
    any_order: Collection[Source] = (),
) -> dict[Source, Sequence[Any]]:
    """PostgreSQL: ``match_words`` for several sources (name → their scope tokens) in one
    statement, one round trip: a search asks five sources, and each statement costs the
    client more than the database here.

    Sources in ``any_order`` give the first ``limit`` matches the index meets (by word, not
    the newest): the scan stops there instead of sorting every match, which for "mül" or a
    number's first digits in a company book of 100,000 entries is thousands."""
    params: dict[str, Any] = {"n": limit, "scan": limit * ANY_ORDER_SCAN}
    checks = ""
    # The shortest fragment is read as a stream, the longer (fewer rows) are hashed.
    for i, fragment in enumerate(sorted(fragments, key=len)):
        start = fragment[:WORD_MAX]
        params[f"lo{i}"], params[f"hi{i}"] = start, start + LAST_CHARACTER
        if len(fragment) > WORD_MAX:
            checks += f" AND ' ' || d.words LIKE :w{i}"
            params[f"w{i}"] = f"% {fragment}%"
    parts: list[str] = []
    names: list[Source] = []
    for k, (name, tokens) in enumerate(scope_tokens.items()):
        if not tokens:
            continue
        params[f"s{k}"] = list(tokens)
        # Per fragment, the documents holding a word in its range under one of the scope
        # tokens (index-only scans of search_words' primary key); those of the first that
        # the others hold too (hash semi-joins): the newest, or for any-order sources the
        # first met.
        ranges = [
            f"SELECT rowid FROM search_words WHERE scope = ANY(CAST(:s{k} AS text[])) "
            f"AND word >= :lo{i} AND word < :hi{i}"
            for i in range(len(fragments))
        ]
        others = "".join(f" AND rowid IN ({other})" for other in ranges[1:])
        hits = f"SELECT rowid FROM ({ranges[0]}) AS hits WHERE true{others}"
        if name in any_order:  # a document may hold several words of a range: a margin
            chosen = f"SELECT rowid FROM ({hits} LIMIT :scan) AS first GROUP BY rowid LIMIT :n"
        else:
            chosen = f"{hits} GROUP BY rowid ORDER BY rowid DESC LIMIT :n"
        parts.append(
            f"(SELECT {k} AS part, {COLUMNS} FROM search_documents d "
            f"WHERE d.rowid IN ({chosen}){checks})"
        )
        names.append(name)
    if not parts:
        return {}
    found: dict[Source, list[Any]] = {}
    rows = await session.execute(text(" UNION ALL ".join(parts)), params)
    keys = dict(enumerate(scope_tokens))
    for row in rows.all():
        found.setdefault(keys[row[0]], []).append(tuple(row[1:]))
    return {name: sorted(found.get(name, []), key=lambda r: -int(r[0])) for name in names}


def number_fragment(session: AsyncSession, digits: str) -> str:
    """The fragment of a number query: digits anywhere in a number are the start of one of
    its digit endings (``index.number_terms``), marked with "#" on PostgreSQL."""
    return digits if session.get_bind().dialect.name == "sqlite" else "#" + digits


async def recent(session: AsyncSession, user_id: str, limit: int) -> list[str]:
    rows = await session.scalars(
        select(RecentSearch.query)
        .where(RecentSearch.user_id == user_id)
        .order_by(RecentSearch.at.desc())
        .limit(limit)
    )
    return list(rows)


async def remember(
    session: AsyncSession, user_id: str, query: str, at: datetime, keep: int
) -> None:
    await session.merge(RecentSearch(user_id=user_id, query=query, at=at))
    await session.flush()
    kept = (
        select(RecentSearch.query)
        .where(RecentSearch.user_id == user_id)
        .order_by(RecentSearch.at.desc())
        .limit(keep)
    )
    await session.execute(
        delete(RecentSearch).where(
            RecentSearch.user_id == user_id, RecentSearch.query.not_in(kept.scalar_subquery())
        )
    )


async def forget(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(RecentSearch).where(RecentSearch.user_id == user_id))
