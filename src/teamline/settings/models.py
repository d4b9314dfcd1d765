"""Per-user settings and the avatar image."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.core.db import Base


class UserSettings(Base):
    __tablename__ = "user_settings"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    contact_sort: Mapped[str] = mapped_column(String(10), default="name")
    list_style: Mapped[str] = mapped_column(String(10), default="detailed")
    auto_away_seconds: Mapped[int] = mapped_column(Integer, default=300)
    hide_system_calls: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(5), default="de")
    theme: Mapped[str] = mapped_column(String(10), default="system")


class Avatar(Base):
    """An uploaded avatar, 256x256 PNG. No row means the generated initials avatar."""

    __tablename__ = "avatars"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
