"""All SQL of the event log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import User
from teamline.core.ids import utcnow
from teamline.core.prepared import Prepared
from teamline.events.models import EventAudience, EventAudienceMember, EventLog, EventRecord

LOG_ROW = 1  # the id of the event_log table's one row
REPLAY_BATCH = 500  # facts per read of a replay

_log = cast(Table, EventLog.__table__)
_audiences = cast(Table, EventAudience.__table__)
_members = cast(Table, EventAudienceMember.__table__)
_records = cast(Table, EventRecord.__table__)
_users = cast(Table, User.__table__)


@dataclass(frozen=True)
class Fact:
    """A logged fact and who it went to."""

    id: int
    type: str
    data: dict[str, Any]
    recipients: list[str]


def audience_key(user_ids: Iterable[str]) -> str:
    """The name of a set of users: a digest of its sorted ids."""
    joined = "\n".join(sorted(user_ids)).encode()
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


# PostgreSQL: an audience found is locked against deletion (``prune_audiences``) until the
# transaction that logs facts to it commits. SQLite has one writer at a time.
_FIND_AUDIENCE = Prepared(select(_audiences.c.id).where(_audiences.c.key == bindparam("key")))
_FIND_AUDIENCE_LOCKED = Prepared(
    select(_audiences.c.id)
    .where(_audiences.c.key == bindparam("key"))
    .with_for_update(key_share=True)
)
_TAKE_IDS = Prepared(
    update(_log)
    .where(_log.c.id == LOG_ROW)
    .values(last_id=_log.c.last_id + bindparam("count"))
    .returning(_log.c.last_id)
)
_INSERT_FACT = Prepared(
    insert(_records).values(
        id=bindparam("id"),
        audience_id=bindparam("audience_id"),
        type=bindparam("type"),
        data=bindparam("data"),
        created_at=bindparam("created_at"),
    )
)


async def append(
    session: AsyncSession, facts: Sequence[tuple[Sequence[str], str, dict[str, Any]]]
) -> list[int | None]:
    """Log each fact (recipients, type, data) under the next id; per fact its id.

    A fact without recipients is not logged (its id is None). The ids are taken last, in
    one update of the log's row: on PostgreSQL the row lock is then held only from there
    to the commit, and writers of facts take turns for just that long.
    """
    keys: list[str | None] = []
    audiences: dict[str, tuple[str, ...]] = {}
    for recipients, _, _ in facts:
        members = tuple(dict.fromkeys(recipients))
        key = audience_key(members) if members else None
        if key is not None:
            audiences.setdefault(key, members)
        keys.append(key)
    if not audiences:
        return [None] * len(facts)
    audience_ids = {
        key: await _audience_id(session, key, members) for key, members in audiences.items()
    }
    count = sum(key is not None for key in keys)
    taken = await _TAKE_IDS(session, count=count)
    if not taken:
        raise RuntimeError("The event_log table has lost the row the migrations made.")
    last_id = taken[0][0]
    next_id = int(last_id) - count + 1
    created_at = utcnow()
    ids: list[int | None] = []
    rows: list[dict[str, Any]] = []
    for key, (_, type_, data) in zip(keys, facts, strict=True):
        if key is None:
            ids.append(None)
            continue
        ids.append(next_id)
        rows.append(
            {
                "id": next_id,
                "audience_id": audience_ids[key],
                "type": type_,
                "data": data,
                "created_at": created_at,
            }
        )
        next_id += 1
    await _INSERT_FACT.many(session, rows)
    return ids


async def _audience_id(session: AsyncSession, key: str, members: Sequence[str]) -> int:
    """The audience named ``key``, created with ``members`` if it does not exist yet."""
    sqlite_db = session.get_bind().dialect.name == "sqlite"
    find = _FIND_AUDIENCE if sqlite_db else _FIND_AUDIENCE_LOCKED
    found = await find(session, key=key)
    if found:
        return int(found[0][0])
    # Two PostgreSQL transactions may create the same audience: the second waits for the
    # first and then finds its row.
    dialect_insert = sqlite.insert if sqlite_db else postgresql.insert
    created = await session.scalar(
        dialect_insert(_audiences)
        .values(key=key, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=[_audiences.c.key])
        .returning(_audiences.c.id)
    )
    if created is None:
        return int((await find(session, key=key))[0][0])
    # Only users that exist: one deleted in this very transaction is nobody's recipient.
    await session.execute(
        insert(_members).from_select(
            ["user_id", "audience_id"],
            select(_users.c.id, bindparam("audience", created)).where(
                _users.c.id.in_(list(members))
            ),
        )
    )
    return int(created)


async def position(session: AsyncSession) -> tuple[int, int]:
    """The last id handed out, and the id up to which facts were pruned."""
    row = (
        await session.execute(
            select(_log.c.last_id, _log.c.pruned_through).where(_log.c.id == LOG_ROW)
        )
    ).first()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


async def after(
    session: AsyncSession,
    user_id: str,
    since: int,
    *,
    until: int | None = None,
    limit: int = REPLAY_BATCH,
) -> list[Fact]:
    """Facts for ``user_id`` with ``since < id`` (and ``id < until``), oldest first."""
    query = (
        select(_records.c.id, _records.c.type, _records.c.data)
        .join(_members, _members.c.audience_id == _records.c.audience_id)
        .where(_members.c.user_id == user_id, _records.c.id > since)
    )
    if until is not None:
        query = query.where(_records.c.id < until)
    result = await session.execute(query.order_by(_records.c.id).limit(limit))
    return [Fact(int(row.id), row.type, row.data, [user_id]) for row in result]


async def between(session: AsyncSession, low: int, high: int, *, limit: int = 1000) -> list[Fact]:
    """Up to ``limit`` facts with ``low < id < high``, oldest first, with their recipients."""
    window = (
        select(_records.c.id)
        .where(_records.c.id > low, _records.c.id < high)
        .order_by(_records.c.id)
        .limit(limit)
        .subquery()
    )
    result = await session.execute(
        select(_records.c.id, _records.c.type, _records.c.data, _members.c.user_id)
        .join(window, window.c.id == _records.c.id)
        .join(_members, _members.c.audience_id == _records.c.audience_id, isouter=True)
        .order_by(_records.c.id)
    )
    facts: dict[int, Fact] = {}
    for row in result:
        fact = facts.get(row.id)
        if fact is None:
            fact = facts[row.id] = Fact(int(row.id), row.type, row.data, [])
        if row.user_id is not None:
            fact.recipients.append(row.user_id)
    return list(facts.values())


async def prune(session: AsyncSession, *, older_than: datetime, keep: int) -> int:
    """Drop the facts logged before ``older_than`` and all but the newest ``keep``.

    Pruning always drops a prefix of the ids, so that "was anything after id n dropped?"
    is one comparison (``position``'s second value). Returns that id.
    """
    last_id, pruned_through = await position(session)
    first_young = await session.scalar(
        select(_records.c.id)
        .where(_records.c.created_at >= older_than)
        .order_by(_records.c.id)
        .limit(1)
    )
    through = max(last_id if first_young is None else int(first_young) - 1, last_id - keep)
    if through <= pruned_through:
        return pruned_through
    await session.execute(delete(_records).where(_records.c.id <= through))
    # Only ever forwards: a concurrent prune may have gone further.
    await session.execute(
        update(_log)
        .where(_log.c.id == LOG_ROW, _log.c.pruned_through < through)
        .values(pruned_through=through)
    )
    return through


async def prune_audiences(session: AsyncSession) -> None:
    """Drop the audiences no fact goes to any more."""
    await session.execute(
        delete(_audiences).where(~exists().where(_records.c.audience_id == _audiences.c.id))
    )
