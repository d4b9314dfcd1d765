"""All SQL of phonebooks, favorites and caller-name lookups."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
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


@dataclass
class StoredEntry:
    """An entry's stored values, as an import compares them with a card."""

    id: str
    import_key: str | None
    display_name: str
    first_name: str | None
    last_name: str | None
    organisation: str | None
    email: str | None
    notes: str | None
    labels: dict[str, Any]
    numbers: list[tuple[str, str, str]] = field(default_factory=list)  # type, e164, national


_STORED = (
    PhonebookEntry.id,
    PhonebookEntry.import_key,
    PhonebookEntry.display_name,
    PhonebookEntry.first_name,
    PhonebookEntry.last_name,
    PhonebookEntry.organisation,
    PhonebookEntry.email,
    PhonebookEntry.notes,
    PhonebookEntry.labels,
)


async def stored_by_key(
    session: AsyncSession, book: str, owner_id: str | None, keys: Collection[str]
) -> list[StoredEntry]:
    """Entries of a book by import key (re-import matching), with their numbers."""
    found: list[StoredEntry] = []
    ordered = list(keys)
    for i in range(0, len(ordered), IN_SLICE):
        query = select(*_STORED).where(
            _in_book(book, owner_id), PhonebookEntry.import_key.in_(ordered[i : i + IN_SLICE])
        )
        found.extend(StoredEntry(*row) for row in await session.execute(query))
    await _with_numbers(session, found)
    return found


async def stored_by_id(
    session: AsyncSession, book: str, owner_id: str | None, ids: Collection[str]
) -> list[StoredEntry]:
    """Entries of a book among ``ids`` (a vCard UID that is an entry id: our own export),
    with their numbers."""
    found: list[StoredEntry] = []
    ordered = list(ids)
    for i in range(0, len(ordered), IN_SLICE):
        # By primary key alone, the book checked here: asked for "book = ? AND owner_id IS
        # NULL AND id IN (...)", SQLite walks the book's index, i.e. the whole company book
        # for every import batch.
        query = select(*_STORED, PhonebookEntry.book, PhonebookEntry.owner_id).where(
            PhonebookEntry.id.in_(ordered[i : i + IN_SLICE])
        )
        found.extend(
            StoredEntry(*row[:-2])
            for row in await session.execute(query)
            if (row.book, row.owner_id) == (book, owner_id)
        )
    await _with_numbers(session, found)
    return found


async def _with_numbers(session: AsyncSession, entries: list[StoredEntry]) -> None:
    by_id = {e.id: e for e in entries}
    ordered = list(by_id)
    for i in range(0, len(ordered), IN_SLICE):
        rows = await session.execute(
            select(
                PhonebookNumber.entry_id,
                PhonebookNumber.type,
                PhonebookNumber.e164,
                PhonebookNumber.national,
            )
            .where(PhonebookNumber.entry_id.in_(ordered[i : i + IN_SLICE]))
            .order_by(PhonebookNumber.entry_id, PhonebookNumber.position)
        )
        for entry_id, type_, e164, national in rows:
            by_id[entry_id].numbers.append((type_, e164, national))


async def add_entries(
    session: AsyncSession, entries: Sequence[dict[str, Any]], numbers: Sequence[dict[str, Any]]
) -> None:
    """Insert new entries and their numbers (rows of ``phonebook_entries`` and
    ``phonebook_numbers``): one executemany each (on PostgreSQL one COPY each), without the
    ORM's per-object work, which cost more than the database's."""
    if session.get_bind().dialect.name == "postgresql":
        await _copy(session, PhonebookEntry, entries)
        await _copy(session, PhonebookNumber, numbers)
        return
    if entries:
        await session.execute(insert(_table(PhonebookEntry)), list(entries))
    if numbers:
        await session.execute(insert(_table(PhonebookNumber)), list(numbers))


async def _copy(
    session: AsyncSession,
    model: type[PhonebookEntry | PhonebookNumber],
    rows: Sequence[dict[str, Any]],
) -> None:
    """PostgreSQL: rows (all with every column of the table) into it by COPY, in the
    session's transaction. An import batch's executemany INSERTs (SQLAlchemy's parameter
    processing per row, multi-row VALUES statements of thousands of parameters for
    PostgreSQL to parse and plan) cost 50,000 cards 0.5-1 s more PostgreSQL CPU and up to
    0.4 s more in this process."""
    if not rows:
        return
    columns = list(rows[0])
    as_json = {c.name for c in _table(model).columns if isinstance(c.type, JSON)}
    records = [
        tuple(json.dumps(row[name]) if name in as_json else row[name] for name in columns)
        for row in rows
    ]
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the session's connection has no driver connection")
    if not driver.is_in_transaction():
        # The driver's transaction begins with SQLAlchemy's first statement: a COPY before
        # it would commit on its own.
        await session.execute(text("SELECT 1"))
    await driver.copy_records_to_table(model.__tablename__, records=records, columns=columns)


async def change_entries(
    session: AsyncSession, entries: Sequence[dict[str, Any]], numbers: Sequence[dict[str, Any]]
) -> None:
    """Overwrite existing entries (rows with ``id`` and the changed columns, all rows the
    same columns) and replace all their numbers by ``numbers``."""
    if not entries:
        return
    table = _table(PhonebookEntry)
    columns = [name for name in entries[0] if name != "id"]
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in columns}),
        [{f"b_{name}": value for name, value in row.items()} for row in entries],
    )
    ids = [row["id"] for row in entries]
    for i in range(0, len(ids), IN_SLICE):
        await session.execute(
            delete(PhonebookNumber).where(PhonebookNumber.entry_id.in_(ids[i : i + IN_SLICE]))
        )
    if session.get_bind().dialect.name == "postgresql":
        await _copy(session, PhonebookNumber, numbers)
    elif numbers:
        await session.execute(insert(_table(PhonebookNumber)), list(numbers))


def _table(model: type[PhonebookEntry | PhonebookNumber]) -> Table:
    return cast(Table, model.__table__)


async def refresh_statistics(session: AsyncSession) -> None:
    """Let PostgreSQL's planner see a book that just grew: with statistics of an empty table
    it scans the whole table for every key lookup of the next import batch (seconds each).
    The search documents grow with the book: ``put_many``'s look-up of a batch's documents
    kept a plan made for an empty table (a scan of all of them) until this ANALYZE."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("ANALYZE phonebook_entries, phonebook_numbers, search_documents")
        )


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
