"""All SQL of the chat domain: conversations, members, messages, reactions, attachments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, case, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import BindParameter

from teamline.accounts.models import User
from teamline.chat.models import Attachment, Conversation, ConversationMember, Message, Reaction
from teamline.core.prepared import Prepared
from teamline.groups.models import Group

Row = TypeVar("Row", ConversationMember, Reaction, Attachment)


async def _grouped(
    session: AsyncSession,
    model: type[Row],
    key: InstrumentedAttribute[Any],
    keys: Sequence[str],
    order: tuple[InstrumentedAttribute[Any], ...],
) -> dict[str, list[Row]]:
    """Rows of ``model`` whose ``key`` is one of ``keys``, grouped by it (one query)."""
    found: dict[str, list[Row]] = defaultdict(list)
    if not keys:
        return found
    rows = await session.scalars(select(model).where(key.in_(list(keys))).order_by(*order))
    for row in rows:
        found[getattr(row, key.key)].append(row)
    return found


async def conversation(
    session: AsyncSession, conversation_id: str, *, lock: bool = False
) -> Conversation | None:
    query = select(Conversation).where(Conversation.id == conversation_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def direct_by_key(session: AsyncSession, key: str) -> Conversation | None:
    return (
        await session.scalars(select(Conversation).where(Conversation.direct_key == key))
    ).first()


async def membership(
    session: AsyncSession, conversation_id: str, user_id: str
) -> ConversationMember | None:
    return await session.get(ConversationMember, (conversation_id, user_id))


_members = cast(Table, ConversationMember.__table__)
_conversations = cast(Table, Conversation.__table__)
_messages = cast(Table, Message.__table__)
_users = cast(Table, User.__table__)
_groups = cast(Table, Group.__table__)

# A send's statements (see ``teamline.core.prepared``: compiled once, no ORM on the way).
_author: BindParameter[str] = bindparam("author_id")
_conversation: BindParameter[str] = bindparam("conversation_id")
_author_row = (_members.c.conversation_id == _conversation) & (_members.c.user_id == _author)
# The conversation's next message number, taken only if the author is a member, with what
# the send needs to know of the author and the group, in one statement (the row lock on
# the conversation orders concurrent sends).
_START_SEND = Prepared(
    update(_conversations)
    .where(_conversations.c.id == _conversation, exists().where(_author_row))
    .values(last_seq=_conversations.c.last_seq + 1, last_activity_at=bindparam("now"))
    .returning(
        _conversations.c.last_seq,
        select(_members.c.unread).where(_author_row).scalar_subquery(),
        select(_users.c.display_name).where(_users.c.id == _author).scalar_subquery(),
        select(_groups.c.name).where(_groups.c.conversation_id == _conversation).scalar_subquery(),
    )
)
_ADD_MESSAGE = Prepared(
    insert(_messages).values(
        id=bindparam("id"),
        conversation_id=bindparam("conversation_id"),
        seq=bindparam("seq"),
        author_id=bindparam("author_id"),
        text=bindparam("text"),
        client_id=bindparam("client_id"),
        created_at=bindparam("created_at"),
    )
)
_is_author = _members.c.user_id == _author
_RECORD_SEND = Prepared(
    update(_members)
    .where(_members.c.conversation_id == bindparam("conversation_id"))
    .values(
        unread=case((_is_author, 0), else_=_members.c.unread + 1),
        read_seq=case((_is_author, bindparam("seq")), else_=_members.c.read_seq),
        delivered_seq=case((_is_author, bindparam("seq")), else_=_members.c.delivered_seq),
    )
    .returning(_members.c.user_id, _members.c.muted)
)


@dataclass(frozen=True)
class SendStart:
    """A send's message number, and what it needs to know of its author and group."""

    seq: int
    unread: int  # the author's unread count in the conversation before this send
    author_name: str
    group_name: str | None  # None for a direct conversation


async def start_send(
    session: AsyncSession, conversation_id: str, author_id: str, now: datetime
) -> SendStart | None:
    """Take the conversation's next message number for a message of ``author_id``, and read
    what the send needs, in one statement. None (and nothing taken) when not a member."""
    rows = await _START_SEND(session, conversation_id=conversation_id, author_id=author_id, now=now)
    if not rows:
        return None
    seq, unread, author_name, group_name = rows[0]
    return SendStart(int(seq), int(unread), author_name, group_name)


async def members(session: AsyncSession, conversation_id: str) -> list[ConversationMember]:
    rows = await session.scalars(
        select(ConversationMember)
        .where(ConversationMember.conversation_id == conversation_id)
        .order_by(ConversationMember.joined_at, ConversationMember.user_id)
    )
    return list(rows)


async def member_ids(session: AsyncSession, conversation_id: str) -> list[str]:
    rows = await session.scalars(
        select(ConversationMember.user_id).where(
            ConversationMember.conversation_id == conversation_id
        )
    )
    return list(rows)


async def add_members(
    session: AsyncSession, conversation_id: str, user_ids: Sequence[str], *, read_seq: int = 0
) -> None:
    """Add members who start having read everything sent before they joined."""
    for user_id in user_ids:
        session.add(
            ConversationMember(
                conversation_id=conversation_id,
                user_id=user_id,
                read_seq=read_seq,
                delivered_seq=read_seq,
            )
        )
    await session.flush()


async def remove_member(session: AsyncSession, conversation_id: str, user_id: str) -> None:
    await session.execute(
        delete(ConversationMember).where(
            ConversationMember.conversation_id == conversation_id,
            ConversationMember.user_id == user_id,
        )
    )


async def add_message(session: AsyncSession, message: Message) -> None:
    """Insert a new message with one prepared statement (a send's hot path: no unit of work).

    ``message`` stays outside the session; it is what was stored.
    """
    await _ADD_MESSAGE(
        session,
        id=message.id,
        conversation_id=message.conversation_id,
        seq=message.seq,
        author_id=message.author_id,
        text=message.text,
        client_id=message.client_id,
        created_at=message.created_at,
    )


async def record_send(
    session: AsyncSession, conversation_id: str, author_id: str, seq: int
) -> list[tuple[str, bool]]:
    """Message ``seq`` was sent: one more unread for every other member, the author's own
    markers at it. Returns (user id, muted) of every member; one statement for all of it.

    Member rows already in the session are not updated (they would be stale): a send loads
    none before this, and reads the author's row afresh after it."""
    rows = await _RECORD_SEND(
        session, conversation_id=conversation_id, author_id=author_id, seq=seq
    )
    return [(user_id, bool(muted)) for user_id, muted in rows]


async def uncount_unread(session: AsyncSession, message: Message) -> list[tuple[str, int, int]]:
    """A message was deleted: the members who had not read it yet count one fewer.

    Returns (user id, unread now, read seq) of each of those members.
    """
    rows = await session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == message.conversation_id,
            ConversationMember.user_id != message.author_id,
            ConversationMember.read_seq < message.seq,
            ConversationMember.unread > 0,
        )
        .values(unread=ConversationMember.unread - 1)
        .returning(
            ConversationMember.user_id, ConversationMember.unread, ConversationMember.read_seq
        )
        .execution_options(synchronize_session=False)
    )
    return [(user_id, int(unread), int(read_seq)) for user_id, unread, read_seq in rows.all()]


async def unread_after(
    session: AsyncSession, conversation_id: str, user_id: str, after_seq: int
) -> int:
    """Messages of the others after ``after_seq`` that are not deleted."""
    value = await session.scalar(
        select(func.count())
        .select_from(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.seq > after_seq,
            Message.deleted_at.is_(None),
            (Message.author_id != user_id) | Message.author_id.is_(None),
        )
    )
    return int(value or 0)


async def unread_totals(session: AsyncSession, user_ids: Sequence[str]) -> dict[str, int]:
    rows = await session.execute(
        select(ConversationMember.user_id, func.coalesce(func.sum(ConversationMember.unread), 0))
        .where(ConversationMember.user_id.in_(list(user_ids)))
        .group_by(ConversationMember.user_id)
    )
    totals = {user_id: 0 for user_id in user_ids}
    totals.update({user_id: int(total) for user_id, total in rows.all()})
    return totals


async def conversation_ids_of(session: AsyncSession, user_id: str) -> list[str]:
    rows = await session.scalars(
        select(ConversationMember.conversation_id).where(ConversationMember.user_id == user_id)
    )
    return list(rows)


async def memberships_of(
    session: AsyncSession, user_id: str
) -> list[tuple[ConversationMember, Conversation]]:
    rows = await session.execute(
        select(ConversationMember, Conversation)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .where(ConversationMember.user_id == user_id)
        .order_by(Conversation.last_activity_at.desc())
    )
    return [(member, conv) for member, conv in rows.all()]


async def members_of_many(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> dict[str, list[ConversationMember]]:
    """The members of each conversation, by conversation id, in the order they joined."""
    return await _grouped(
        session,
        ConversationMember,
        ConversationMember.conversation_id,
        conversation_ids,
        (ConversationMember.joined_at, ConversationMember.user_id),
    )


async def last_messages(
    session: AsyncSession, conversations: Sequence[Conversation]
) -> dict[str, Message]:
    """The newest message of each conversation (by its ``last_seq``)."""
    wanted = [(c.id, c.last_seq) for c in conversations if c.last_seq > 0]
    if not wanted:
        return {}
    found: dict[str, Message] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        rows = await session.scalars(
            select(Message).where(
                Message.conversation_id.in_([c for c, _ in chunk]),
                Message.seq.in_({s for _, s in chunk}),
            )
        )
        last = dict(chunk)
        for row in rows:
            if last.get(row.conversation_id) == row.seq:
                found[row.conversation_id] = row
    return found


async def message(session: AsyncSession, message_id: str, *, lock: bool = False) -> Message | None:
    query = select(Message).where(Message.id == message_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def message_by_client_id(
    session: AsyncSession, author_id: str, client_id: str
) -> Message | None:
    return (
        await session.scalars(
            select(Message).where(Message.author_id == author_id, Message.client_id == client_id)
        )
    ).first()


async def messages_page(
    session: AsyncSession, conversation_id: str, *, before_seq: int | None, limit: int
) -> list[Message]:
    """Up to ``limit`` messages before ``before_seq`` (or the newest), oldest first."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before_seq is not None:
        query = query.where(Message.seq < before_seq)
    rows = list(await session.scalars(query.order_by(Message.seq.desc()).limit(limit)))
    rows.reverse()
    return rows


async def message_ids_at(
    session: AsyncSession, wanted: dict[str, set[int]]
) -> dict[tuple[str, int], str]:
    """The ids of messages by (conversation id, seq), for the given seqs of each conversation."""
    pairs = {(c, s) for c, seqs in wanted.items() for s in seqs if s > 0}
    if not pairs:
        return {}
    found: dict[tuple[str, int], str] = {}
    conversations = sorted({c for c, _ in pairs})
    seqs = sorted({s for _, s in pairs})
    for start in range(0, len(conversations), 400):
        rows = await session.execute(
            select(Message.conversation_id, Message.seq, Message.id).where(
                Message.conversation_id.in_(conversations[start : start + 400]),
                Message.seq.in_(seqs),
            )
        )
        for conversation_id, seq, message_id in rows.all():
            if (conversation_id, seq) in pairs:
                found[(conversation_id, int(seq))] = message_id
    return found


async def reactions_of(
    session: AsyncSession, message_ids: Sequence[str]
) -> dict[str, list[Reaction]]:
    """The reactions to each message, by message id, oldest first."""
    return await _grouped(
        session, Reaction, Reaction.message_id, message_ids, (Reaction.created_at, Reaction.user_id)
    )


async def set_reaction(
    session: AsyncSession, message_id: str, user_id: str, emoji: str, *, on: bool
) -> bool:
    """Add or take back a reaction; False when nothing changed."""
    existing = await session.get(Reaction, (message_id, user_id, emoji))
    if on == (existing is not None):
        return False
    if existing is not None:
        await session.delete(existing)
    else:
        session.add(Reaction(message_id=message_id, user_id=user_id, emoji=emoji))
    await session.flush()
    return True


async def attachments_of(
    session: AsyncSession, message_ids: Sequence[str]
) -> dict[str, list[Attachment]]:
    """The attachments of each message, by message id, in upload order."""
    return await _grouped(
        session,
        Attachment,
        Attachment.message_id,
        message_ids,
        (Attachment.created_at, Attachment.id),
    )


async def attachment(session: AsyncSession, attachment_id: str) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def unsent_attachments(
    session: AsyncSession, conversation_id: str, uploader_id: str, ids: Sequence[str]
) -> list[Attachment]:
    rows = await session.scalars(
        select(Attachment).where(
            Attachment.id.in_(list(ids)),
            Attachment.conversation_id == conversation_id,
            Attachment.uploader_id == uploader_id,
            Attachment.message_id.is_(None),
        )
    )
    return list(rows)


async def drop_unsent_attachments(session: AsyncSession, uploaded_before: datetime) -> list[str]:
    """Forget uploads never sent with a message; returns their ids (to remove the files)."""
    ids = list(
        await session.scalars(
            select(Attachment.id).where(
                Attachment.message_id.is_(None), Attachment.created_at < uploaded_before
            )
        )
    )
    if ids:
        await session.execute(delete(Attachment).where(Attachment.id.in_(ids)))
    return ids


async def detach_attachments(session: AsyncSession, message_id: str) -> list[str]:
    """Forget a deleted message's attachments; returns their ids (to remove the files)."""
    ids = list(
        await session.scalars(select(Attachment.id).where(Attachment.message_id == message_id))
    )
    if ids:
        await session.execute(delete(Attachment).where(Attachment.id.in_(ids)))
    return ids


async def attachment_ids_of_conversation(session: AsyncSession, conversation_id: str) -> list[str]:
    rows = await session.scalars(
        select(Attachment.id).where(Attachment.conversation_id == conversation_id)
    )
    return list(rows)


async def delete_conversation(session: AsyncSession, conversation_id: str) -> None:
    await session.execute(delete(Conversation).where(Conversation.id == conversation_id))


async def names(session: AsyncSession, user_ids: Sequence[str]) -> dict[str, str]:
    """Display names of users, by id."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, User.display_name).where(User.id.in_(list(set(user_ids))))
    )
    return {user_id: name for user_id, name in rows.all()}


async def groups_of(session: AsyncSession, conversation_ids: Sequence[str]) -> dict[str, Group]:
    """The groups whose conversations these are, by conversation id."""
    if not conversation_ids:
        return {}
    rows = await session.scalars(
        select(Group).where(Group.conversation_id.in_(list(conversation_ids)))
    )
    return {g.conversation_id: g for g in rows}
