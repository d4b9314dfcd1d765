"""All SQL of the event log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.core.ids import utcnow
from teamline.events.models import EventCursor, EventRecord


async def create_cursor(session: AsyncSession, user_id: str) -> None:
    session.add(EventCursor(user_id=user_id, last_id=0))
    await session.flush()


async def append(
    session: AsyncSession, user_ids: Sequence[str], type_: str, data: dict[str, Any]
) -> list[tuple[str, int]]:
    """Log one fact for each user under the user's next event id; returns (user, id) pairs."""
    if not user_ids:
        return []
    ordered = sorted(set(user_ids))
    # Lock the cursors in a fixed order so that two writers never deadlock on PostgreSQL.
    await session.execute(
        select(EventCursor.user_id)
        .where(EventCursor.user_id.in_(ordered))
        .order_by(EventCursor.user_id)
        .with_for_update()
    )
    rows = await session.execute(
        update(EventCursor)
        .where(EventCursor.user_id.in_(ordered))
        .values(last_id=EventCursor.last_id + 1)
        .returning(EventCursor.user_id, EventCursor.last_id)
    )
    recipients = [(user_id, int(last_id)) for user_id, last_id in rows.all()]
    now = utcnow()
    await session.execute(
        insert(EventRecord),
        [
            {"user_id": user_id, "id": event_id, "type": type_, "data": data, "created_at": now}
            for user_id, event_id in recipients
        ],
    )
    return recipients


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
