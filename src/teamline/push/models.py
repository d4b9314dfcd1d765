"""Web Push tables: one subscription per device, and the server's VAPID key pair."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import utcnow


class PushSubscription(Base):
    """Where a device's push service accepts messages for it (``PushSubscription.toJSON()``).

    Keyed by device: a device has at most one subscription, and it goes with the device.
    """

    __tablename__ = "push_subscriptions"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(2000))
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushNotified(Base):
    """A device was pushed a message of a conversation and has not been told it was read.

    Only these devices get a "read" push: a push that shows nothing costs the site its
    browsers' patience (Chromium shows its own notice for silent pushes).
    """

    __tablename__ = "push_notified"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("push_subscriptions.device_id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )


class VapidKey(Base):
    """The application server key pair (RFC 8292); one row, shared by every node.

    In the database rather than a file so that every node signs with the same key: browsers
    bind a subscription to the public key it was made with.
    """

    __tablename__ = "push_vapid_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    private_pem: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(100))  # base64url, uncompressed P-256 point
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
