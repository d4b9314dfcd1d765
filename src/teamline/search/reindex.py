"""Rebuilding the search index from the data (after a restore, or a search schema change)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import User
from teamline.accounts.service import contact_document
from teamline.chat.models import Message
from teamline.chat.service import search_document as chat_document
from teamline.core.db import Database
from teamline.groups.models import Group
from teamline.groups.service import search_document as group_document
from teamline.journal.models import JournalEntry
from teamline.journal.service import search_document as journal_document
from teamline.phonebook.models import PhonebookEntry
from teamline.phonebook.service import search_document as phonebook_document
from teamline.search.index import Document, put_many
from teamline.search.models import SearchDocument

BATCH = 2000
Row = TypeVar("Row")


async def _batches(
    session: AsyncSession, model: type[Any], where: Any = None
) -> AsyncIterator[list[Any]]:
    query = select(model) if where is None else select(model).where(where)
    result = await session.stream_scalars(query.execution_options(yield_per=BATCH))
    async for partition in result.partitions(BATCH):
        yield list(partition)


async def reindex(db: Database) -> int:
    """Empty the index and index every user, group, phonebook entry, journal entry and chat
    message again."""
    sources: list[tuple[type[Any], Any, Callable[[Any], Document]]] = [
        (User, User.disabled.is_(False), contact_document),
        (PhonebookEntry, None, phonebook_document),
        (JournalEntry, None, journal_document),
        (Group, None, group_document),
    ]
    async with db.write() as session:
        await session.execute(delete(SearchDocument))
        if db.is_sqlite:
            for table in ("search_fts", "search_chat_fts"):
                await session.execute(text(f"INSERT INTO {table}({table}) VALUES ('delete-all')"))
            await session.execute(text("DELETE FROM search_numbers"))
        else:
            await session.execute(text("DELETE FROM search_words"))
        for model, where, build in sources:
            async for rows in _batches(session, model, where):
                await put_many(session, [build(row) for row in rows])
        names = dict((await session.execute(select(User.id, User.display_name))).all())
        async for messages in _batches(session, Message, Message.deleted_at.is_(None)):
            await put_many(
                session,
                [chat_document(m, names.get(m.author_id or "", "")) for m in messages if m.text],
            )
        return int(await session.scalar(select(func.count()).select_from(SearchDocument)) or 0)


async def is_empty_but_data_exists(db: Database) -> bool:
    """True on a database indexed by nothing yet (e.g. restored, or upgraded to search)."""
    async with db.read() as session:
        indexed = await session.scalar(select(SearchDocument.rowid).limit(1))
        users = await session.scalar(select(User.id).limit(1))
    return indexed is None and users is not None
