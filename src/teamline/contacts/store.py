"""All SQL of the contact list: what it gathers from accounts, chat, groups and phonebooks."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import User
from teamline.chat.models import Conversation, ConversationMember
from teamline.groups.models import Group
from teamline.phonebook.models import PhonebookEntry


async def colleagues(session: AsyncSession, user_id: str) -> list[User]:
    rows = await session.scalars(
        select(User).where(User.disabled.is_(False), User.id != user_id).order_by(User.display_name)
    )
    return list(rows)


async def direct_conversations(
    session: AsyncSession, user_id: str
) -> dict[str, tuple[ConversationMember, Conversation]]:
    """My direct conversations by the other member's id."""
    mine = ConversationMember.__table__.alias("mine")
    rows = await session.execute(
        select(ConversationMember, Conversation, mine.c.user_id)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .join(
            mine,
            and_(
                mine.c.conversation_id == ConversationMember.conversation_id,
                mine.c.user_id != user_id,
            ),
        )
        .where(ConversationMember.user_id == user_id, Conversation.kind == "direct")
    )
    return {peer: (member, conv) for member, conv, peer in rows.all()}


async def my_groups(
    session: AsyncSession, user_id: str
) -> list[tuple[Group, ConversationMember, Conversation]]:
    rows = await session.execute(
        select(Group, ConversationMember, Conversation)
        .join(ConversationMember, ConversationMember.conversation_id == Group.conversation_id)
        .join(Conversation, Conversation.id == Group.conversation_id)
        .where(ConversationMember.user_id == user_id)
    )
    return [(g, m, c) for g, m, c in rows.all()]


async def entries(session: AsyncSession, ids: list[str]) -> list[PhonebookEntry]:
    if not ids:
        return []
    rows = await session.scalars(select(PhonebookEntry).where(PhonebookEntry.id.in_(ids)))
    return list(rows)
