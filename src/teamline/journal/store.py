"""All SQL of the call journal."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.journal.models import JournalEntry


async def add(session: AsyncSession, entries: Sequence[JournalEntry]) -> None:
    session.add_all(entries)
    await session.flush()


async def entry_of(session: AsyncSession, user_id: str, entry_id: str) -> JournalEntry | None:
    """The entry if it is ``user_id``'s."""
    return await session.scalar(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.user_id == user_id)
    )


async def entries(
    session: AsyncSession,
    user_id: str,
    *,
    direction: str | None = None,
    result: str | None = None,
    internal: bool | None = None,
    hide_system: bool = False,
    before: JournalEntry | None = None,
    limit: int = 50,
) -> list[JournalEntry]:
    """The user's entries, newest first, older than ``before`` when given."""
    conditions: list[ColumnElement[bool]] = [JournalEntry.user_id == user_id]
    if direction is not None:
        conditions.append(JournalEntry.direction == direction)
    if result is not None:
        conditions.append(JournalEntry.result == result)
    if internal is not None:
        conditions.append(JournalEntry.internal.is_(internal))
    if hide_system:
        conditions.append(JournalEntry.system.is_(False))
    if before is not None:
        # Ties on started_at are broken by id, so a page boundary never skips or repeats.
        conditions.append(
            or_(
                JournalEntry.started_at < before.started_at,
                and_(JournalEntry.started_at == before.started_at, JournalEntry.id < before.id),
            )
        )
    query = (
        select(JournalEntry)
        .where(*conditions)
        .order_by(JournalEntry.started_at.desc(), JournalEntry.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


async def with_party(
    session: AsyncSession,
    entry: JournalEntry,
    *,
    hide_system: bool = False,
    limit: int = 10,
) -> list[JournalEntry]:
    """The newest other entries of the same user with the same party (user or number)."""
    if entry.party_user_id is not None:
        same_party = JournalEntry.party_user_id == entry.party_user_id
    elif entry.party_number is not None:
        same_party = JournalEntry.party_number == entry.party_number
    else:
        return []  # anonymous: no party to match
    conditions = [JournalEntry.user_id == entry.user_id, JournalEntry.id != entry.id, same_party]
    if hide_system:
        conditions.append(JournalEntry.system.is_(False))
    query = (
        select(JournalEntry)
        .where(*conditions)
        .order_by(JournalEntry.started_at.desc(), JournalEntry.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


def _unseen(user_id: str) -> list[ColumnElement[bool]]:
    return [JournalEntry.user_id == user_id, JournalEntry.seen.is_(False)]


async def count_unseen(session: AsyncSession, user_id: str) -> int:
    """How many missed calls the user has not seen yet (JRNL-5)."""
    query = select(func.count()).select_from(JournalEntry).where(*_unseen(user_id))
    return int(await session.scalar(query) or 0)


async def mark_seen(session: AsyncSession, user_id: str) -> None:
    await session.execute(update(JournalEntry).where(*_unseen(user_id)).values(seen=True))


async def delete_entry(session: AsyncSession, entry: JournalEntry) -> None:
    await session.delete(entry)
    await session.flush()


async def delete_all(session: AsyncSession, user_id: str) -> list[str]:
    """Delete the user's whole journal; returns the ids deleted."""
    result = await session.execute(
        delete(JournalEntry).where(JournalEntry.user_id == user_id).returning(JournalEntry.id)
    )
    return [row[0] for row in result.all()]
