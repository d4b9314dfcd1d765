"""All SQL of the event log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.core.ids import utcnow
from teamline.events.models import EventCursor, EventRecord


async def create_cursor(session: AsyncSession, user_id: str) -> None:
    session.add(EventCursor(user_id=user_id, last_id=0))
    await session.flush()


async def append(
    session: AsyncSession, facts: Sequence[tuple[Sequence[str], str, dict[str, Any]]]
) -> list[list[tuple[str, int]]]:
    """Log each fact (recipients, type, data) under each recipient's next event ids.

    Returns, per fact, its (user id, event id) pairs. All cursors the transaction needs are
    locked at once, in one fixed order, as the transaction's last step: two writers can
    then never wait for each other in a cycle on PostgreSQL.
    """
    users = sorted({user_id for recipients, _, _ in facts for user_id in recipients})
    if not users:
        return [[] for _ in facts]
    rows = await session.execute(
        select(EventCursor.user_id, EventCursor.last_id)
        .where(EventCursor.user_id.in_(users))
        .order_by(EventCursor.user_id)
        .with_for_update()
    )
    last = {user_id: int(last_id) for user_id, last_id in rows.all()}
    now = utcnow()
    records: list[dict[str, Any]] = []
    per_fact: list[list[tuple[str, int]]] = []
    for recipients, type_, data in facts:
        logged: list[tuple[str, int]] = []
        for user_id in dict.fromkeys(recipients):
            if user_id not in last:  # a user deleted in this very transaction
                continue
            last[user_id] += 1
            logged.append((user_id, last[user_id]))
            records.append(
                {
                    "user_id": user_id,
                    "id": last[user_id],
                    "type": type_,
                    "data": data,
                    "created_at": now,
                }
            )
        per_fact.append(logged)
    cursors = cast(Table, EventCursor.__table__)
    await session.execute(
        update(cursors)
        .where(cursors.c.user_id == bindparam("uid"))
        .values(last_id=bindparam("new_last")),
        [{"uid": user_id, "new_last": value} for user_id, value in last.items()],
    )
    if records:
        await session.execute(insert(EventRecord), records)
    return per_fact


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
