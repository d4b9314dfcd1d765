"""All SQL of the event log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from teamline.core.ids import utcnow
from teamline.core.prepared import run_sqlite
from teamline.events.models import EventCursor, EventRecord


async def create_cursor(session: AsyncSession, user_id: str) -> None:
    session.add(EventCursor(user_id=user_id, last_id=0))
    await session.flush()


class _Encoded(TypeDecorator[Any]):
    """A value already in the form the driver takes (see ``_encoded``): bound as it is.

    One event row per recipient shares the fact's JSON and timestamp; encoding them once
    instead of once per row is most of what logging a fact to a large group costs in Python.
    The column's own type still decides how the statement is compiled (e.g. PostgreSQL's
    ``::JSON`` bind cast).
    """

    impl = NullType
    cache_ok = True

    def __init__(self, column_type: TypeEngine[Any]) -> None:
        super().__init__()
        self.column_type = column_type

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return self.column_type.dialect_impl(dialect)

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def _encoded(session: AsyncSession, column: Column[Any], value: Any) -> Any:
    """``value`` as ``column``'s type would hand it to this session's driver."""
    dialect = session.get_bind().dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process is not None else value


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


_records = cast(Table, EventRecord.__table__)
_cursors = cast(Table, EventCursor.__table__)
_INSERT_EVENTS = insert(_records).values(
    user_id=bindparam("user_id"),
    id=bindparam("id"),
    type=bindparam("type"),
    data=bindparam("data", type_=_Encoded(_records.c.data.type)),
    created_at=bindparam("created_at", type_=_Encoded(_records.c.created_at.type)),
)


async def append(
    session: AsyncSession, facts: Sequence[tuple[Sequence[str], str, dict[str, Any]]]
) -> list[list[tuple[str, int]]]:
    """Log each fact (recipients, type, data) under each recipient's next event ids.

    Returns, per fact, its (user id, event id) pairs. Each cursor moves by the number of
    facts its user gets, in one ``UPDATE … RETURNING`` per distinct number (usually one).
    On PostgreSQL all cursors the transaction needs are first locked at once, in one fixed
    order, as the transaction's last step: two writers can then never wait for each other
    in a cycle. SQLite has one writer at a time and needs no lock.
    """
    counts: dict[str, int] = {}
    for recipients, _, _ in facts:
        for user_id in dict.fromkeys(recipients):
            counts[user_id] = counts.get(user_id, 0) + 1
    if not counts:
        return [[] for _ in facts]
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite:
        await session.execute(
            select(_cursors.c.user_id)
            .where(_cursors.c.user_id.in_(sorted(counts)))
            .order_by(_cursors.c.user_id)
            .with_for_update()
        )
    by_count: dict[int, list[str]] = {}
    for user_id, count in counts.items():
        by_count.setdefault(count, []).append(user_id)
    last: dict[str, int] = {}  # per user: the id before this transaction's first
    for count, user_ids in by_count.items():
        if sqlite:
            # One hand-off to SQLite's thread instead of several, and no expanding of the
            # IN list by SQLAlchemy (see ``teamline.core.prepared``).
            moved = await run_sqlite(
                await session.connection(), _move_cursors_sql(len(user_ids)), [count, *user_ids]
            )
        else:
            result = await session.execute(
                update(_cursors)
                .where(_cursors.c.user_id.in_(user_ids))
                .values(last_id=_cursors.c.last_id + count)
                .returning(_cursors.c.user_id, _cursors.c.last_id)
            )
            moved = [tuple(row) for row in result.all()]
        last.update((user_id, int(last_id) - count) for user_id, last_id in moved)
    created_at = _encoded(session, _records.c.created_at, utcnow())
    dialect = session.get_bind().dialect
    sql, names = _insert_events_sql(dialect)
    # Each row as the driver's tuple, in the statement's parameter order, built directly:
    # a group commit logs thousands of rows at once.
    place = [names.index(n) for n in ("user_id", "id", "type", "data", "created_at")]
    in_order = place == sorted(place)
    rows: list[tuple[Any, ...]] = []
    per_fact: list[list[tuple[str, int]]] = []
    for recipients, type_, data in facts:
        logged: list[tuple[str, int]] = []
        encoded = _dumps(data)
        for user_id in dict.fromkeys(recipients):
            if user_id not in last:  # a user deleted in this very transaction
                continue
            event_id = last[user_id] = last[user_id] + 1
            logged.append((user_id, event_id))
            row = (user_id, event_id, type_, encoded, created_at)
            rows.append(row if in_order else tuple(row[place.index(i)] for i in range(5)))
        per_fact.append(logged)
    if rows:
        # Straight to the driver's executemany: SQLAlchemy would otherwise build and check
        # each row's parameters again (about a fifth of the Python time for 100 rows).
        connection = await session.connection()
        if sqlite:
            await run_sqlite(connection, sql, rows, many=True)
        else:
            await connection.exec_driver_sql(sql, rows)
    return per_fact


def _move_cursors_sql(users: int) -> str:
    """SQLite: move ``users`` cursors by the first parameter, returning where they are."""
    marks = ",".join("?" * users)
    return (
        f"UPDATE {_cursors.name} SET last_id = last_id + ? "
        f"WHERE user_id IN ({marks}) RETURNING user_id, last_id"
    )


_compiled_inserts: dict[str, tuple[str, tuple[str, ...]]] = {}


def _insert_events_sql(dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    """The events insert as this dialect's SQL text, and its parameters' order."""
    found = _compiled_inserts.get(dialect.name)
    if found is None:
        compiled = _INSERT_EVENTS.compile(dialect=dialect)
        found = (compiled.string, tuple(compiled.positiontup or ()))
        _compiled_inserts[dialect.name] = found
    return found


async def last_id(session: AsyncSession, user_id: str) -> int:
    value = await session.scalar(select(EventCursor.last_id).where(EventCursor.user_id == user_id))
    return int(value or 0)


async def after(
    session: AsyncSession, user_id: str, since: int, *, until: int | None = None, limit: int = 500
) -> list[EventRecord]:
    """Events of ``user_id`` with ``since < id`` (and ``id < until``), oldest first."""
    query = select(EventRecord).where(EventRecord.user_id == user_id, EventRecord.id > since)
    if until is not None:
        query = query.where(EventRecord.id < until)
    result = await session.scalars(query.order_by(EventRecord.id).limit(limit))
    return list(result)


async def prune(session: AsyncSession, *, older_than: datetime, keep_per_user: int) -> None:
    """Drop events past the retention window and beyond the newest ``keep_per_user``."""
    await session.execute(delete(EventRecord).where(EventRecord.created_at < older_than))
    newest = (
        select(EventCursor.last_id)
        .where(EventCursor.user_id == EventRecord.user_id)
        .scalar_subquery()
    )
    await session.execute(delete(EventRecord).where(EventRecord.id <= newest - keep_per_user))
