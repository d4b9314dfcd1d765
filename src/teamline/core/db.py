"""The database: one async engine, sessions for reading and for writing, the table base.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE``: a deferred transaction that later wants to write can fail at once with
SQLITE_BUSY when another connection writes, instead of waiting its turn.

SQLite takes one writer at a time. The writers of this process wait their turn in a FIFO
queue (``WriteTurn``) instead of in SQLite's busy handler, which polls with sleeps of up to
100 ms and lets a newcomer overtake (long tails, and failures past the busy timeout). The
wait is bounded by the same busy timeout and then fails the same way (503 at the edge).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: pages come from the OS cache
SQLITE_CACHE_KIB = 32 * 1024  # per connection


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads through a memory map instead of a read() call per page, and a larger page
        # cache per connection: a search walks thousands of full-text index pages.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("teamline_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class WriteTurn:
    """The right to write to SQLite, handed out in the order it was asked for."""

    def __init__(self, timeout_ms: int) -> None:
        self._lock = asyncio.Lock()
        self._timeout = timeout_ms / 1000

    async def take(self) -> None:
        """Wait for the turn; ``PoolTimeout`` after the busy timeout."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._lock.acquire()
        except TimeoutError:
            raise PoolTimeout("no turn to write within the SQLite busy timeout") from None

    def give(self) -> None:
        self._lock.release()


class Database:
    """Owns the engine; hands out sessions. ``write()`` commits, ``read()`` never does."""

    def __init__(self, url: str, *, echo: bool = False, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout_ms)
        self._read = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write = async_sessionmaker(
            self.engine.execution_options(teamline_write=True), expire_on_commit=False
        )
        self.write_turn = WriteTurn(busy_timeout_ms) if self.is_sqlite else None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits when the block ends without an exception.

        On SQLite it starts once this process's earlier writers are done (``WriteTurn``).
        """
        if self.write_turn is None:
            async with self._write() as session, session.begin():
                yield session
            return
        await self.write_turn.take()
        try:
            async with self._write() as session, session.begin():
                yield session
        finally:
            self.write_turn.give()

    def write_session(self) -> AsyncSession:
        """A session for writing whose transaction and turn the caller manages itself."""
        return self._write()

    async def ping(self) -> bool:
        from sqlalchemy import text

        try:
            async with self.read() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()
