"""All SQL of the groups domain (their members are their conversation's)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import User
from teamline.chat.models import ConversationMember
from teamline.groups.models import Group


async def group(session: AsyncSession, group_id: str, *, lock: bool = False) -> Group | None:
    query = select(Group).where(Group.id == group_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def groups_of(session: AsyncSession, user_id: str) -> list[Group]:
    rows = await session.scalars(
        select(Group)
        .join(ConversationMember, ConversationMember.conversation_id == Group.conversation_id)
        .where(ConversationMember.user_id == user_id)
        .order_by(Group.name, Group.id)
    )
    return list(rows)


async def active_users(session: AsyncSession, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` that exist and are not disabled."""
    if not user_ids:
        return set()
    found: set[str] = set()
    wanted = list(set(user_ids))
    for start in range(0, len(wanted), 500):
        rows = await session.scalars(
            select(User.id).where(
                User.id.in_(wanted[start : start + 500]), User.disabled.is_(False)
            )
        )
        found.update(rows)
    return found


async def delete_group(session: AsyncSession, group_id: str) -> None:
    await session.execute(delete(Group).where(Group.id == group_id))
