"""All SQL of phonebooks, favorites and caller-name lookups."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import User
from teamline.phonebook.models import Favorite, PhonebookEntry, PhonebookNumber

# SQLite limits bound parameters per statement; IN lists are sent in slices of this size.
IN_SLICE = 500


def _in_book(book: str, owner_id: str | None) -> ColumnElement[bool]:
    owner = (
        PhonebookEntry.owner_id.is_(None)
        if owner_id is None
        else PhonebookEntry.owner_id == owner_id
    )
    return and_(PhonebookEntry.book == book, owner)


async def entries(
    session: AsyncSession,
    book: str,
    owner_id: str | None,
    *,
    q: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[PhonebookEntry], int]:
    """A page of a book sorted by display name, and how many entries match in all."""
    query = select(PhonebookEntry).where(_in_book(book, owner_id))
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                PhonebookEntry.display_name.ilike(pattern),
                PhonebookEntry.first_name.ilike(pattern),
                PhonebookEntry.last_name.ilike(pattern),
                PhonebookEntry.organisation.ilike(pattern),
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    query = query.order_by(func.lower(PhonebookEntry.display_name), PhonebookEntry.id)
    if limit is not None:
        query = query.limit(limit)
    rows = await session.scalars(query.offset(offset))
    return list(rows), int(total or 0)


async def entry(session: AsyncSession, entry_id: str) -> PhonebookEntry | None:
    return await session.get(PhonebookEntry, entry_id)


async def entries_by_key(
    session: AsyncSession, book: str, owner_id: str | None, keys: Collection[str]
) -> dict[str, PhonebookEntry]:
    """Entries of a book by import key (re-import matching)."""
    found: dict[str, PhonebookEntry] = {}
    ordered = list(keys)
    for i in range(0, len(ordered), IN_SLICE):
        query = (
            select(PhonebookEntry)
            .where(_in_book(book, owner_id))
            .where(PhonebookEntry.import_key.in_(ordered[i : i + IN_SLICE]))
        )
        for row in await session.scalars(query):
            if row.import_key is not None:
                found[row.import_key] = row
    return found


async def entries_by_id(
    session: AsyncSession, book: str, owner_id: str | None, ids: Collection[str]
) -> dict[str, PhonebookEntry]:
    """Entries of a book among ``ids`` (a vCard UID that is an entry id: our own export)."""
    found: dict[str, PhonebookEntry] = {}
    ordered = list(ids)
    for i in range(0, len(ordered), IN_SLICE):
        query = (
            select(PhonebookEntry)
            .where(_in_book(book, owner_id))
            .where(PhonebookEntry.id.in_(ordered[i : i + IN_SLICE]))
        )
        found.update((row.id, row) for row in await session.scalars(query))
    return found


async def refresh_statistics(session: AsyncSession) -> None:
    """Let PostgreSQL's planner see a book that just grew: with statistics of an empty table
    it scans the whole table for every key lookup of the next import batch (seconds each)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("ANALYZE phonebook_entries, phonebook_numbers"))


async def entry_by_number(
    session: AsyncSession, e164: str, book: str, owner_id: str | None
) -> PhonebookEntry | None:
    """The first entry (by display name) of a book that has this number."""
    query = (
        select(PhonebookEntry)
        .where(_in_book(book, owner_id))
        .join(PhonebookNumber, PhonebookNumber.entry_id == PhonebookEntry.id)
    )
    query = query.where(PhonebookNumber.e164 == e164).order_by(
        func.lower(PhonebookEntry.display_name), PhonebookEntry.id
    )
    return await session.scalar(query.limit(1))


async def user_by_extension(session: AsyncSession, extension: str) -> User | None:
    return await session.scalar(
        select(User).where(User.extension == extension, User.disabled.is_(False))
    )


async def user_by_mobile(session: AsyncSession, e164: str) -> User | None:
    return await session.scalar(
        select(User)
        .where(User.mobile_number == e164, User.disabled.is_(False))
        .order_by(func.lower(User.display_name))
        .limit(1)
    )


async def active_user(session: AsyncSession, user_id: str) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.disabled.is_(False)))


# -- favorites -----------------------------------------------------------------------------
async def favorites_of(session: AsyncSession, user_id: str) -> list[Favorite]:
    """The user's favorites whose targets still exist and are theirs to see, oldest first."""
    visible_entry = select(PhonebookEntry.id).where(
        PhonebookEntry.id == Favorite.target_id,
        or_(PhonebookEntry.book == "company", PhonebookEntry.owner_id == user_id),
    )
    active_user = select(User.id).where(User.id == Favorite.target_id, User.disabled.is_(False))
    query = (
        select(Favorite)
        .where(
            Favorite.user_id == user_id,
            or_(
                and_(Favorite.kind == "phonebook-entry", visible_entry.exists()),
                and_(Favorite.kind == "user", active_user.exists()),
            ),
        )
        .order_by(Favorite.created_at, Favorite.target_id)
    )
    return list(await session.scalars(query))


async def favorite_targets(
    session: AsyncSession, user_id: str, kind: str, ids: Collection[str]
) -> set[str]:
    """Which of ``ids`` the user has starred."""
    found: set[str] = set()
    ordered = list(ids)
    for i in range(0, len(ordered), IN_SLICE):
        query = select(Favorite.target_id).where(
            Favorite.user_id == user_id,
            Favorite.kind == kind,
            Favorite.target_id.in_(ordered[i : i + IN_SLICE]),
        )
        found.update(await session.scalars(query))
    return found


async def favorite(
    session: AsyncSession, user_id: str, kind: str, target_id: str
) -> Favorite | None:
    return await session.get(Favorite, (user_id, kind, target_id))


async def add_favorite(session: AsyncSession, user_id: str, kind: str, target_id: str) -> None:
    session.add(Favorite(user_id=user_id, kind=kind, target_id=target_id))
    await session.flush()


async def remove_favorite(session: AsyncSession, user_id: str, kind: str, target_id: str) -> bool:
    """Remove the star; False if there was none."""
    result = await session.execute(
        delete(Favorite)
        .where(Favorite.user_id == user_id, Favorite.kind == kind, Favorite.target_id == target_id)
        .returning(Favorite.user_id)
    )
    return result.first() is not None


async def drop_favorites_of_target(session: AsyncSession, kind: str, target_id: str) -> list[str]:
    """Remove every star on a target that is going away; the users who had one."""
    result = await session.execute(
        delete(Favorite)
        .where(Favorite.kind == kind, Favorite.target_id == target_id)
        .returning(Favorite.user_id)
    )
    return [row[0] for row in result.all()]
