"""The persisted event log: each fact once, under one id sequence for all users.

A fact goes to an *audience*, a set of users stored once and named by a digest of its
members: the messages of a group all go to the same audience row, so logging one costs one
row however many members the group has. A user's events are the facts of the audiences
they belong to; ids increase for every user (they are not consecutive for anyone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import utcnow


class EventLog(Base):
    """The log's one row: the last id handed out, and up to which id facts were pruned.

    Taking ids updates this row, so writers of facts take turns from there to their commit
    (on PostgreSQL a row lock): ids commit in order, and when id n is committed every
    lower id is too. A reader never sees id n+1 before id n.
    """

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)


class EventAudience(Base):
    """A set of users facts go to; ``key`` is the digest of its sorted member ids."""

    __tablename__ = "event_audiences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventAudienceMember(Base):
    __tablename__ = "event_audience_members"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    audience_id: Mapped[int] = mapped_column(
        ForeignKey("event_audiences.id", ondelete="CASCADE"), primary_key=True
    )


class EventRecord(Base):
    """One fact: what every member of its audience is told."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_audience_id_id", "audience_id", "id"),)

    # On SQLite the rowid itself (facts are stored in id order, in one B-tree).
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    # No ON DELETE: an audience goes only once no fact names it (``store.prune``).
    audience_id: Mapped[int] = mapped_column(ForeignKey("event_audiences.id"))
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
