"""Recording facts with the transaction that causes them, publishing them after commit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database
from teamline.core.ids import utcnow
from teamline.events import store
from teamline.events.bus import Bus


@dataclass
class Transaction:
    """A write transaction plus the facts it will log and, once committed, publish."""

    session: AsyncSession
    facts: list[tuple[list[str], str, dict[str, Any]]] = field(default_factory=list)

    def emit(self, user_ids: Iterable[str], type_: str, data: dict[str, Any]) -> None:
        """Tell ``user_ids`` about ``type_``: logged when the transaction ends, sent after."""
        self.facts.append((list(user_ids), type_, data))


class Events:
    """The entry point services use to change state and tell the users concerned."""

    def __init__(self, db: Database, bus: Bus, settings: Settings) -> None:
        self.db = db
        self.bus = bus
        self.settings = settings
        # SQLite takes one writer at a time. Writers of this process wait their turn here, in
        # order, instead of in SQLite's busy handler, which polls with sleeps of up to 100 ms
        # and lets a newcomer overtake (long tails, and 503s past the busy timeout). The wait
        # is bounded by the same busy timeout, and answered with the same 503.
        self._write_turn = asyncio.Lock() if db.is_sqlite else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A write transaction whose events are published only if it commits."""
        messages: list[dict[str, Any]] = []
        async with self._turn(), self.db.write() as session:
            tx = Transaction(session)
            yield tx
            if tx.facts:
                logged = await store.append(session, tx.facts)
                messages = [
                    {"type": type_, "data": data, "recipients": [list(r) for r in recipients]}
                    for (_, type_, data), recipients in zip(tx.facts, logged, strict=True)
                    if recipients
                ]
        for message in messages:
            await self.bus.publish(message)

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        if self._write_turn is None:
            yield
            return
        try:
            async with asyncio.timeout(self.settings.sqlite_busy_timeout_ms / 1000):
                await self._write_turn.acquire()
        except TimeoutError:
            raise PoolTimeout("no turn to write within the SQLite busy timeout") from None
        try:
            yield
        finally:
            self._write_turn.release()

    async def prune(self) -> None:
        async with self.db.write() as session:
            await store.prune(
                session,
                older_than=utcnow() - timedelta(seconds=self.settings.event_retention_seconds),
                keep_per_user=self.settings.event_retention_per_user,
            )
