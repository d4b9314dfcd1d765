"""One search over contacts, phonebooks, the journal and the chat archive (SRCH-1…5).

Each source is asked separately (its own top results, so thousands of chat hits cannot push
a colleague off the list), through the full-text index with the caller's visibility inside
the query: scope tokens ``all`` and ``u<caller>`` (and, once chat exists, ``c<conversation>``
for every conversation the caller is in). Word and number queries match word starts, newest
first (on PostgreSQL the company book and colleagues take the first matches the index meets,
see ``ANY_ORDER``); the few candidates are then ranked by how well their title matches.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database
from teamline.core.errors import InvalidInput
from teamline.core.ids import utcnow
from teamline.search import store
from teamline.search.index import SCOPE_KINDS, scope_kind, scope_tokens, words_table
from teamline.search.schemas import SOURCES, SearchResult, Source
from teamline.search.text import fold, fragments, is_number_query, query_digits

CANDIDATES = 50  # per source, before ranking
RECENT_KEPT = 10
# Sources whose candidates need not be the newest (PostgreSQL; see store.match_sources): the
# company book and the colleagues are not lists in time, and they are the large ones.
ANY_ORDER: frozenset[Source] = frozenset({"company-phonebook", "contact"})
ACTIONS: dict[str, str] = {
    "contact": "call",
    "private-phonebook": "call",
    "company-phonebook": "call",
    "journal": "call",
    "chat": "open",
}


# The conversations a user is in: the chat domain provides it (``c<id>`` scope tokens).
ConversationsOf = Callable[[AsyncSession, str], Awaitable[list[str]]]


async def _no_conversations(_session: AsyncSession, _user_id: str) -> list[str]:
    return []


class SearchService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        conversations_of: ConversationsOf = _no_conversations,
    ) -> None:
        self.db = db
        self.settings = settings
        self.conversations_of = conversations_of

    async def search(self, user_id: str, query: str, limit: int) -> list[SearchResult]:
        """Results grouped by source (contacts first), at most ``limit`` per source."""
        query = query.strip()
        if len(query) > 200:
            raise InvalidInput(
                "The search text is too long (200 characters at most).", details={"q": "too long"}
            )
        results: list[SearchResult] = []
        async with self.db.scan() as session:
            conversations = await self.conversations_of(session, user_id)
            scope = ["all", f"u{user_id}", *(f"c{c}" for c in conversations)]
            asked = {  # the tokens of the kinds each source uses (SCOPE_KINDS)
                source: scope_tokens(
                    source, [t for t in scope if scope_kind(t) in SCOPE_KINDS[source]]
                )
                for source in SOURCES
            }
            if is_number_query(query):
                number = [store.number_fragment(session, query_digits(query))]
                if self.db.is_sqlite:
                    numbered: dict[Source, Sequence[Any]] = {
                        source: await store.match_words(
                            session, number, asked[source], limit, "search_numbers"
                        )
                        for source in SOURCES
                        if source != "chat"  # messages have no numbers
                    }
                else:
                    numbered = await store.match_sources(
                        session, number, asked, limit, any_order=ANY_ORDER
                    )
                for source in SOURCES:
                    results.extend(_result(row) for row in numbered.get(source, ())[:limit])
                return results
            words = fragments(query)
            if not words:
                return []
            found: dict[Source, Sequence[Any]] = {}
            # The chat archive, by far the largest, is asked on a connection of its own while
            # this one asks the other sources (SQLite runs both at once in WAL mode; on
            # PostgreSQL two server processes work on them).
            async with asyncio.TaskGroup() as group:
                chat = group.create_task(self._chat(words, asked["chat"]))
                others = [source for source in SOURCES if source != "chat"]
                if self.db.is_sqlite:
                    for source in others:
                        found[source] = await store.match_words(
                            session, words, asked[source], CANDIDATES, words_table(source)
                        )
                else:
                    found = await store.match_sources(
                        session,
                        words,
                        {source: asked[source] for source in others},
                        CANDIDATES,
                        any_order=ANY_ORDER,
                    )
            found["chat"] = chat.result()
        for source in SOURCES:
            ranked = sorted(found.get(source, ()), key=lambda row: _rank(str(row[4]), words))
            results.extend(_result(row) for row in ranked[:limit])
        return results

    async def _chat(self, words: list[str], allowed: list[str]) -> Sequence[Any]:
        async with self.db.scan() as session:
            return await store.match_words(session, words, allowed, CANDIDATES, words_table("chat"))

    async def tidy(self, pages_per_step: int = 1000, max_steps: int = 10_000) -> int:
        """Merge the SQLite full-text indexes into one segment each (the hourly housekeeping
        runs it; PostgreSQL needs nothing). Documents arrive one by one and leave many
        segments, and every query term is looked up in each of them: merged, a search does a
        fraction of the work. Each step merges at most ``pages_per_step`` pages in a short
        write transaction of its own, so writers wait at most one step. Returns the steps."""
        if not self.db.is_sqlite:
            return 0
        steps = 0
        for table in ("search_fts", "search_chat_fts", "search_numbers"):
            while steps < max_steps:
                async with self.db.write() as session:
                    before = int(await session.scalar(text("SELECT total_changes()")) or 0)
                    await session.execute(
                        text(f"INSERT INTO {table}({table}, rank) VALUES ('merge', :n)"),
                        {"n": -pages_per_step},
                    )
                    after = int(await session.scalar(text("SELECT total_changes()")) or 0)
                steps += 1
                if after - before < 2:  # nothing left to merge (FTS5's documented signal)
                    break
        return steps

    async def recent(self, user_id: str) -> list[str]:
        async with self.db.read() as session:
            return await store.recent(session, user_id, RECENT_KEPT)

    async def remember(self, user_id: str, query: str) -> None:
        """Keep a search the user acted on (SRCH-5); the newest ten are kept."""
        async with self.db.write() as session:
            await store.remember(session, user_id, query.strip(), utcnow(), RECENT_KEPT)

    async def forget(self, user_id: str) -> None:
        async with self.db.write() as session:
            await store.forget(session, user_id)


def _rank(title: str, words: Sequence[str]) -> tuple[int, int, str]:
    """Titles starting with the first fragment first, then titles holding every fragment at
    a word start, then the rest; alphabetical within each."""
    folded, title_words = _title_words(title)
    starts = int(not folded.startswith(words[0]))
    all_in_title = int(not all(any(w.startswith(f) for w in title_words) for f in words))
    return starts, all_in_title, folded


@functools.lru_cache(maxsize=4096)
def _title_words(title: str) -> tuple[str, list[str]]:
    """A title folded, and its words (names recur from search to search: folding each
    candidate's title anew was a third of a search's Python time)."""
    folded = fold(title)
    return folded, folded.replace("-", " ").replace("'", " ").split()


def _result(row: Any) -> SearchResult:
    _, source, ref_id, _, title, subtitle, extra = row
    if isinstance(extra, str | bytes):  # raw SQL hands JSON back as text on SQLite
        extra = json.loads(extra)
    extra = extra if isinstance(extra, dict) else {}
    source_name: Source = source
    return SearchResult(
        source=source_name,
        id=ref_id,
        title=title,
        subtitle=subtitle,
        action=extra.get("action", ACTIONS[source]),
        number=extra.get("number"),
        conversation_id=extra.get("conversation_id"),
        message_id=extra.get("message_id"),
    )
