"""Every table, imported once so the metadata is complete (Alembic, tests)."""

from teamline.accounts.models import Device, SigninFailure, User
from teamline.core.db import Base
from teamline.events.models import EventCursor, EventRecord
from teamline.pairing.models import Pairing
from teamline.presence.models import LiveSocket, Presence
from teamline.settings.models import Avatar, UserSettings

__all__ = [
    "Avatar",
    "Base",
    "Device",
    "EventCursor",
    "EventRecord",
    "LiveSocket",
    "Pairing",
    "Presence",
    "SigninFailure",
    "User",
    "UserSettings",
]
