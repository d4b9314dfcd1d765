"""All SQL of Web Push: subscriptions, the VAPID key, who is in the foreground."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.models import Device
from teamline.presence.models import LiveSocket
from teamline.push.models import PushNotified, PushSubscription, VapidKey

# SQLite limits bound parameters per statement; IN lists are sent in slices of this size.
IN_SLICE = 500

VAPID_KEY_ID = 1


async def vapid_key(session: AsyncSession) -> VapidKey | None:
    return await session.get(VapidKey, VAPID_KEY_ID)


async def add_vapid_key(session: AsyncSession, *, private_pem: str, public_key: str) -> None:
    """Store the key pair; raises IntegrityError when another node stored one first."""
    session.add(VapidKey(id=VAPID_KEY_ID, private_pem=private_pem, public_key=public_key))
    await session.flush()


async def put_subscription(
    session: AsyncSession, *, user_id: str, device_id: str, endpoint: str, p256dh: str, auth: str
) -> None:
    """The device's subscription, replacing its earlier one and any other row for the
    same endpoint (a browser signed in again keeps its push endpoint but gets a new device)."""
    await session.execute(
        delete(PushSubscription).where(
            (PushSubscription.device_id == device_id) | (PushSubscription.endpoint == endpoint)
        )
    )
    session.add(
        PushSubscription(
            device_id=device_id, user_id=user_id, endpoint=endpoint, p256dh=p256dh, auth=auth
        )
    )
    await session.flush()


async def delete_subscription(
    session: AsyncSession, device_id: str, *, endpoint: str | None = None
) -> bool:
    """Drop a device's subscription (only if it still has ``endpoint``, when given)."""
    query = delete(PushSubscription).where(PushSubscription.device_id == device_id)
    if endpoint is not None:
        query = query.where(PushSubscription.endpoint == endpoint)
    result = await session.execute(query.returning(PushSubscription.device_id))
    return result.first() is not None


async def in_foreground(
    session: AsyncSession, user_ids: Collection[str], *, fresh_after: datetime
) -> set[str]:
    """Those of ``user_ids`` with a live socket whose client shows the app."""
    found: set[str] = set()
    ids = list(user_ids)
    for start in range(0, len(ids), IN_SLICE):
        rows = await session.scalars(
            select(LiveSocket.user_id)
            .where(
                LiveSocket.user_id.in_(ids[start : start + IN_SLICE]),
                LiveSocket.foreground.is_(True),
                LiveSocket.seen_at >= fresh_after,
            )
            .distinct()
        )
        found.update(rows)
    return found


async def subscriptions(session: AsyncSession, user_ids: Collection[str]) -> list[PushSubscription]:
    """The subscriptions of ``user_ids`` on devices still signed in."""
    found: list[PushSubscription] = []
    ids = list(user_ids)
    for start in range(0, len(ids), IN_SLICE):
        rows = await session.scalars(
            select(PushSubscription)
            .join(
                Device,
                and_(Device.id == PushSubscription.device_id, Device.revoked_at.is_(None)),
            )
            .where(PushSubscription.user_id.in_(ids[start : start + IN_SLICE]))
            .order_by(PushSubscription.user_id, PushSubscription.device_id)
        )
        found.extend(rows)
    return found


async def mark_notified(
    session: AsyncSession, device_ids: Collection[str], conversation_id: str
) -> None:
    """Remember that these devices show a notification of the conversation."""
    wanted = set(device_ids)
    if not wanted:
        return
    known: set[str] = set()
    ids = sorted(wanted)
    for start in range(0, len(ids), IN_SLICE):
        known.update(
            await session.scalars(
                select(PushNotified.device_id).where(
                    PushNotified.conversation_id == conversation_id,
                    PushNotified.device_id.in_(ids[start : start + IN_SLICE]),
                )
            )
        )
    # Only devices still subscribed: one may have been dropped since its push went out.
    present: set[str] = set()
    missing = sorted(wanted - known)
    for start in range(0, len(missing), IN_SLICE):
        present.update(
            await session.scalars(
                select(PushSubscription.device_id).where(
                    PushSubscription.device_id.in_(missing[start : start + IN_SLICE])
                )
            )
        )
    session.add_all(
        PushNotified(device_id=device_id, conversation_id=conversation_id)
        for device_id in sorted(present)
    )
    await session.flush()


async def take_notified(
    session: AsyncSession, user_id: str, conversation_id: str
) -> list[PushSubscription]:
    """The user's devices that show a notification of the conversation; forgets them."""
    rows = list(
        await session.scalars(
            select(PushSubscription)
            .join(PushNotified, PushNotified.device_id == PushSubscription.device_id)
            .join(
                Device,
                and_(Device.id == PushSubscription.device_id, Device.revoked_at.is_(None)),
            )
            .where(
                PushSubscription.user_id == user_id,
                PushNotified.conversation_id == conversation_id,
            )
            .order_by(PushSubscription.device_id)
        )
    )
    await session.execute(
        delete(PushNotified).where(
            PushNotified.conversation_id == conversation_id,
            PushNotified.device_id.in_(
                select(PushSubscription.device_id).where(PushSubscription.user_id == user_id)
            ),
        )
    )
    return rows
