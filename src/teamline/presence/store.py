"""All SQL of presence: the chosen state and the live sockets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.core.ids import utcnow
from teamline.presence.models import LiveSocket, Presence


async def create(session: AsyncSession, user_id: str) -> None:
    session.add(Presence(user_id=user_id))
    await session.flush()


async def get(session: AsyncSession, user_id: str, *, lock: bool = False) -> Presence | None:
    query = select(Presence).where(Presence.user_id == user_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_many(session: AsyncSession, user_ids: Sequence[str]) -> dict[str, Presence]:
    rows = await session.scalars(select(Presence).where(Presence.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}


async def live_sockets(
    session: AsyncSession, user_id: str, *, fresh_after: datetime
) -> list[LiveSocket]:
    rows = await session.scalars(
        select(LiveSocket).where(LiveSocket.user_id == user_id, LiveSocket.seen_at >= fresh_after)
    )
    return list(rows)


async def add_socket(
    session: AsyncSession, *, socket_id: str, user_id: str, device_id: str, node_id: str
) -> None:
    session.add(LiveSocket(id=socket_id, user_id=user_id, device_id=device_id, node_id=node_id))
    await session.flush()


async def remove_socket(session: AsyncSession, socket_id: str) -> str | None:
    """Delete a socket row; returns its user id, or None when it was already gone."""
    user_id = await session.scalar(select(LiveSocket.user_id).where(LiveSocket.id == socket_id))
    if user_id is not None:
        await session.execute(delete(LiveSocket).where(LiveSocket.id == socket_id))
    return user_id


async def set_socket_state(
    session: AsyncSession, socket_id: str, *, idle: bool, foreground: bool
) -> str | None:
    result = await session.execute(
        update(LiveSocket)
        .where(LiveSocket.id == socket_id)
        .values(idle=idle, foreground=foreground, seen_at=utcnow())
        .returning(LiveSocket.user_id)
    )
    return result.scalar()


async def touch_node(session: AsyncSession, node_id: str) -> None:
    await session.execute(
        update(LiveSocket).where(LiveSocket.node_id == node_id).values(seen_at=utcnow())
    )


async def remove_stale(session: AsyncSession, *, seen_before: datetime) -> list[str]:
    """Delete sockets whose node stopped reporting; returns the users concerned."""
    result = await session.execute(
        delete(LiveSocket).where(LiveSocket.seen_at < seen_before).returning(LiveSocket.user_id)
    )
    return sorted({row[0] for row in result.all()})


async def remove_node(session: AsyncSession, node_id: str) -> list[str]:
    result = await session.execute(
        delete(LiveSocket).where(LiveSocket.node_id == node_id).returning(LiveSocket.user_id)
    )
    return sorted({row[0] for row in result.all()})
