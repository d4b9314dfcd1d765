"""All SQL of pairing codes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.pairing.models import Pairing


async def add(session: AsyncSession, pairing: Pairing) -> None:
    session.add(pairing)
    await session.flush()


async def by_id(session: AsyncSession, pairing_id: str, *, lock: bool = False) -> Pairing | None:
    query = select(Pairing).where(Pairing.id == pairing_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def by_code_hash(session: AsyncSession, digest: str) -> Pairing | None:
    return await session.scalar(
        select(Pairing).where(Pairing.code_hash == digest).with_for_update()
    )
