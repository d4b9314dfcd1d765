"""Recording facts with the transaction that causes them, publishing them after commit.

On SQLite, write transactions that queue up are committed together (group commit): the
write transaction stays open while the next queued ``Events.transaction`` runs in it, each
one inside a savepoint, so that one that fails is rolled back alone and the others go on.
The facts of all of them are logged in one step before the one commit, and published in
order after it; nobody is answered before the commit. What a group costs once instead of
per transaction: taking the write turn, ``BEGIN IMMEDIATE``, logging the facts (one update of
the log's row and one insert for all) and the commit. A group closes when nobody else is waiting,
or at ``GROUP_COMMIT_MAX`` transactions. PostgreSQL runs writers side by side and keeps one
database transaction per ``Events.transaction``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database, WriteTurn
from teamline.core.ids import utcnow
from teamline.events import store
from teamline.events.bus import Bus

log = logging.getLogger(__name__)

Fact = tuple[list[str], str, dict[str, Any]]

# Transactions committed together at most: the first of a group waits for all of them.
GROUP_COMMIT_MAX = 16


@dataclass
class Transaction:
    """A write transaction plus the facts it will log and, once committed, publish."""

    session: AsyncSession
    facts: list[Fact] = field(default_factory=list)

    def emit(self, user_ids: Iterable[str], type_: str, data: dict[str, Any]) -> None:
        """Tell ``user_ids`` about ``type_``: logged when the transaction ends, sent after."""
        self.facts.append((list(user_ids), type_, data))


@dataclass(eq=False)
class _Group:
    """One SQLite write transaction shared by the queued ``Events.transaction`` blocks."""

    session: AsyncSession
    turn: WriteTurn
    size: int = 0  # blocks run in it so far
    facts: list[Fact] = field(default_factory=list)  # of the blocks that succeeded, in order
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    committer: asyncio.Future[None] | None = None  # commits the group if its last does not


class Events:
    """The entry point services use to change state and tell the users concerned."""

    def __init__(self, db: Database, bus: Bus, settings: Settings) -> None:
        self.db = db
        self.bus = bus
        self.settings = settings
        # Blocks of this process take turns here, in order; the group's transaction holds
        # the database's write turn (``Database.write_turn``) from its first block to commit.
        self._block_turn = asyncio.Lock()
        self._blocks_waiting = 0
        self._group: _Group | None = None

    @property
    def blocks_waiting(self) -> int:
        """``transaction`` blocks of this process waiting for their turn (SQLite)."""
        return self._blocks_waiting

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A write transaction whose events are published only if it commits."""
        if self.db.write_turn is None:
            async with self._single() as tx:
                yield tx
            return
        self._blocks_waiting += 1
        try:
            async with asyncio.timeout(self.settings.sqlite_busy_timeout_ms / 1000):
                await self._block_turn.acquire()
        except TimeoutError:
            raise PoolTimeout("no turn to write within the SQLite busy timeout") from None
        finally:
            self._blocks_waiting -= 1
        group: _Group | None = None
        failure: BaseException | None = None
        try:
            group = self._group or await self._open(self.db.write_turn)
            # The group's first block needs no savepoint: when it fails, the transaction
            # holds nothing else and is rolled back whole.
            savepoint = await group.session.begin_nested() if group.size else None
            group.size += 1
            tx = Transaction(group.session)
            try:
                yield tx
                if savepoint is not None:
                    await savepoint.commit()
                else:
                    await group.session.flush()
            except BaseException as exc:
                failure = exc
                if savepoint is not None:
                    # Also after a failed flush, which leaves the savepoint to be rolled back.
                    await savepoint.rollback()
                else:
                    await self._abandon(group)
            finally:
                # Each block sees the database afresh, as in a transaction of its own.
                group.session.expunge_all()
            if failure is None:
                group.facts.extend(tx.facts)
        finally:
            try:
                # Also after a failed block: the group holds the others' work.
                if group is not None and (
                    not self._blocks_waiting or group.size >= GROUP_COMMIT_MAX
                ):
                    await asyncio.shield(self._commit(group))
            finally:
                self._block_turn.release()
        if not group.done.done():
            # The blocks queued behind this one join the group; then its first member to
            # leave it open, queued behind them, commits it unless the last one did.
            # Shielded: the commit happens even if this caller goes away.
            if group.committer is None:
                group.committer = asyncio.ensure_future(self._commit_later(group))
            await asyncio.shield(group.committer)
        if failure is not None:
            # Raised once the group committed: like a transaction of its own that failed
            # after the ones before it had committed (a retry then reads what they wrote).
            raise failure
        group.done.result()  # the commit's error, if it failed

    async def _open(self, turn: WriteTurn) -> _Group:
        await turn.take()
        session = self.db.write_session()
        try:
            await session.begin()
        except BaseException:
            await session.close()
            turn.give()
            raise
        self._group = _Group(session, turn)
        return self._group

    async def _abandon(self, group: _Group) -> None:
        """Roll the group back (its first block failed, so it holds nothing)."""
        self._group = None
        try:
            await group.session.close()
        finally:
            group.turn.give()
            group.done.set_result(None)

    async def _commit_later(self, group: _Group) -> None:
        async with self._block_turn:
            if not group.done.done():
                await self._commit(group)

    async def _commit(self, group: _Group) -> None:
        """Log the group's facts, commit, give the turn back, publish (under the block turn)."""
        if group.done.done():
            return
        self._group = None
        messages: list[dict[str, Any]] = []
        try:
            try:
                if group.facts:
                    logged = await store.append(group.session, group.facts)
                    messages = _messages(group.facts, logged)
                await group.session.commit()
            finally:
                try:
                    await group.session.close()  # rolls back what was not committed
                finally:
                    group.turn.give()
        except BaseException as exc:
            if isinstance(exc, Exception):
                group.done.set_exception(exc)
                group.done.exception()  # marked as retrieved: the members re-raise it
            else:
                group.done.cancel()
            raise
        group.done.set_result(None)
        if messages:
            await self.bus.publish(messages)

    @asynccontextmanager
    async def _single(self) -> AsyncIterator[Transaction]:
        messages: list[dict[str, Any]] = []
        async with self.db.write() as session:
            tx = Transaction(session)
            yield tx
            if tx.facts:
                messages = _messages(tx.facts, await store.append(session, tx.facts))
        if messages:
            await self.bus.publish(messages)

    async def prune(self) -> None:
        """Drop facts past the retention window, then the audiences no fact goes to."""
        async with self.db.write() as session:
            await store.prune(
                session,
                older_than=utcnow() - timedelta(seconds=self.settings.event_retention_seconds),
                keep=self.settings.event_retention_max,
            )
        try:
            async with self.db.write() as session:
                await store.prune_audiences(session)
        except IntegrityError:
            # PostgreSQL: a writer logged a fact to an audience this was dropping; the
            # next round drops the others.
            log.info("event audiences in use again; pruned next time")


def _messages(facts: list[Fact], ids: list[int | None]) -> list[dict[str, Any]]:
    """The bus messages of facts logged under these ids (None: not logged, no recipient)."""
    return [
        {"id": id_, "type": type_, "data": data, "recipients": list(dict.fromkeys(recipients))}
        for (recipients, type_, data), id_ in zip(facts, ids, strict=True)
        if id_ is not None
    ]
