"""All SQL of settings and avatars."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.settings.models import Avatar, UserSettings


async def create(session: AsyncSession, user_id: str, *, language: str = "de") -> None:
    session.add(UserSettings(user_id=user_id, language=language))
    await session.flush()


async def get(session: AsyncSession, user_id: str) -> UserSettings | None:
    return await session.get(UserSettings, user_id)


async def avatar(session: AsyncSession, user_id: str) -> Avatar | None:
    return await session.get(Avatar, user_id)


async def put_avatar(session: AsyncSession, user_id: str, media_type: str, content: bytes) -> None:
    await session.merge(Avatar(user_id=user_id, media_type=media_type, content=content))


async def drop_avatar(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(Avatar).where(Avatar.user_id == user_id))
