"""All SQL of accounts: users, devices, failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import Device, SigninFailure, User
from teamline.core.ids import utcnow


async def user_by_id(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def user_by_login(session: AsyncSession, login: str) -> User | None:
    return await session.scalar(select(User).where(func.lower(User.login) == login.lower()))


async def user_by_extension(session: AsyncSession, extension: str) -> User | None:
    return await session.scalar(select(User).where(User.extension == extension))


async def users(session: AsyncSession, *, include_disabled: bool = False) -> list[User]:
    query = select(User).order_by(func.lower(User.display_name))
    if not include_disabled:
        query = query.where(User.disabled.is_(False))
    return list(await session.scalars(query))


async def active_user_ids(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(User.id).where(User.disabled.is_(False))))


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def device_by_token_hash(session: AsyncSession, digest: str) -> tuple[Device, User] | None:
    row = (
        await session.execute(
            select(Device, User)
            .join(User, User.id == Device.user_id)
            .where(Device.token_hash == digest)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def devices_of(session: AsyncSession, user_id: str) -> list[Device]:
    query = (
        select(Device)
        .where(Device.user_id == user_id, Device.revoked_at.is_(None))
        .order_by(Device.created_at)
    )
    return list(await session.scalars(query))


async def device_of(session: AsyncSession, user_id: str, device_id: str) -> Device | None:
    return await session.scalar(
        select(Device).where(
            Device.id == device_id, Device.user_id == user_id, Device.revoked_at.is_(None)
        )
    )


async def revoke_devices(session: AsyncSession, user_id: str) -> list[str]:
    result = await session.execute(
        update(Device)
        .where(Device.user_id == user_id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(Device.id)
    )
    return [row[0] for row in result.all()]


async def touch_device(session: AsyncSession, device_id: str, at: datetime) -> None:
    await session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=at))


async def record_failure(session: AsyncSession, login: str, address: str) -> None:
    session.add(SigninFailure(login=login.lower(), address=address))
    await session.flush()


async def failures_since(
    session: AsyncSession, column: str, value: str, since: datetime
) -> tuple[int, datetime | None]:
    """(count, oldest time) of failed sign-ins since ``since`` for a login or an address."""
    key = SigninFailure.login if column == "login" else SigninFailure.address
    row = (
        await session.execute(
            select(func.count(), func.min(SigninFailure.at)).where(
                key == value, SigninFailure.at >= since
            )
        )
    ).one()
    return int(row[0]), row[1]


async def clear_failures(session: AsyncSession, login: str) -> None:
    await session.execute(delete(SigninFailure).where(SigninFailure.login == login.lower()))


async def prune_failures(session: AsyncSession, before: datetime) -> None:
    await session.execute(delete(SigninFailure).where(SigninFailure.at < before))
