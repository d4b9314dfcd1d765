"""Phonebook tables: entries of the company book and of each user's private book."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import new_id, utcnow


class PhonebookEntry(Base):
    """One contact. ``owner_id`` is None in the company book, the owner's id in a private one.

    ``import_key`` identifies the entry across re-imports (see ``phonebook/importing.py``).
    """

    __tablename__ = "phonebook_entries"
    __table_args__ = (
        UniqueConstraint("book", "owner_id", "import_key", name="uq_phonebook_entries_import"),
        Index("ix_phonebook_entries_book_owner", "book", "owner_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    book: Mapped[str] = mapped_column(String(10))  # "company" | "private"
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    labels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    import_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    numbers: Mapped[list[PhonebookNumber]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="PhonebookNumber.position",
        lazy="selectin",
    )


class PhonebookNumber(Base):
    """A typed number of an entry: E.164 for matching, the national form for display."""

    __tablename__ = "phonebook_numbers"
    __table_args__ = (Index("ix_phonebook_numbers_e164", "e164"),)

    entry_id: Mapped[str] = mapped_column(
        ForeignKey("phonebook_entries.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(10))  # work | mobile | home | fax
    e164: Mapped[str] = mapped_column(String(20))
    national: Mapped[str] = mapped_column(String(40))

    entry: Mapped[PhonebookEntry] = relationship(back_populates="numbers")


class Favorite(Base):
    """A star a user put on a colleague or a phonebook entry (CONT-4, BOOK-4)."""

    __tablename__ = "favorites"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # user | phonebook-entry
    target_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
