"""The persisted per-user event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import utcnow


class EventCursor(Base):
    """Per user: the last event id handed out.

    Taking the next id updates this row, so concurrent writers for one user are serialised
    and ids commit in order: a reader never sees id n+1 before id n.
    """

    __tablename__ = "event_cursors"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)


class EventRecord(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_created_at", "created_at"),)

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
