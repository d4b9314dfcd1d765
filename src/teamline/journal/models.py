"""The call journal: one entry per user per call (JRNL-1…5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import new_id


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (
        Index("ix_journal_entries_user_started", "user_id", "started_at"),
        Index("ix_journal_entries_party_number", "user_id", "party_number"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    call_id: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(10))  # inbound | outbound
    # answered | missed | completed-elsewhere | voicemail | busy | rejected
    result: Mapped[str] = mapped_column(String(24))
    party_name: Mapped[str | None] = mapped_column(String(200))
    party_number: Mapped[str | None] = mapped_column(String(40))
    party_user_id: Mapped[str | None] = mapped_column(String(32))
    # Where the name came from at call time: user | private-phonebook | company-phonebook
    party_source: Mapped[str | None] = mapped_column(String(24))
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    system: Mapped[bool] = mapped_column(Boolean, default=False)  # voicemail, IVR …
    team_name: Mapped[str | None] = mapped_column(String(200))
    device: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ring_seconds: Mapped[int] = mapped_column(Integer, default=0)
    talk_seconds: Mapped[int] = mapped_column(Integer, default=0)
    route: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    seen: Mapped[bool] = mapped_column(Boolean, default=True)
