"""Presence tables: the user's chosen state and the live sockets it is derived from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import new_id, utcnow


class Presence(Base):
    """What a user chose (``state``, ``text``) and the derived flags last published."""

    __tablename__ = "presence"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20), default="available")
    text: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_away: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(20), default="free")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LiveSocket(Base):
    """An open event socket on some node; ``seen_at`` is refreshed by that node's heartbeat.

    A node that dies leaves rows behind; they count as gone once ``seen_at`` is older than
    a few heartbeats.
    """

    __tablename__ = "live_sockets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(32))
    node_id: Mapped[str] = mapped_column(String(32), index=True)
    idle: Mapped[bool] = mapped_column(Boolean, default=False)
    foreground: Mapped[bool] = mapped_column(Boolean, default=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
