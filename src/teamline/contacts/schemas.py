"""Response models of the contact list."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from teamline.presence.schemas import PresenceOut

ContactKind = Literal["user", "group", "phonebook-entry", "team"]
ContactFilter = Literal["online", "favorites", "unread", "teams", "groups"]
ContactSort = Literal["name", "status", "recent"]


class ContactOut(BaseModel):
    kind: ContactKind
    id: str
    title: str
    subtitle: str
    favorite: bool
    unread: int
    conversation_id: str | None
    last_activity_at: datetime | None
    presence: PresenceOut | None
    number: str | None
    muted: bool = False


class ContactsOut(BaseModel):
    contacts: list[ContactOut]
    unread_total: int
