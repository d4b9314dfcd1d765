"""Search tables: one document per searchable thing, and recent searches.

The full-text structures differ by database and are created by migrations 0003 and 0006: on
SQLite two FTS5 tables over ``search_documents`` (``search_fts`` and, for chat messages,
``search_chat_fts``: words and scope, unicode61 with prefix indexes of 1 to 6 characters;
``search_digits``: trigram, for numbers); on PostgreSQL the table ``search_words`` (one row
per scope token, word and document, migration 0007) and a pg_trgm index on ``digits``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base, UTCDateTime
from teamline.core.ids import utcnow


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("source", "ref_id", name="uq_search_documents_ref"),)

    # INTEGER on SQLite so that it is the table's rowid, which the FTS5 tables refer to.
    rowid: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    source: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[str] = mapped_column(String(64))
    # Who may see it, as index tokens: "all", "u<user id>", "c<conversation id>".
    scope: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    words: Mapped[str] = mapped_column(Text)  # folded, lower-case words to match
    digits: Mapped[str] = mapped_column(Text, default="")  # number variants, space separated
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecentSearch(Base):
    __tablename__ = "search_recent"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
