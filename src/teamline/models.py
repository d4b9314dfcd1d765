"""Every table, imported once so the metadata is complete (Alembic, tests)."""

from teamline.accounts.models import Device, SigninFailure, User
from teamline.core.db import Base
from teamline.events.models import EventCursor, EventRecord
from teamline.journal.models import JournalEntry
from teamline.pairing.models import Pairing
from teamline.phonebook.models import Favorite, PhonebookEntry, PhonebookNumber
from teamline.presence.models import LiveSocket, Presence
from teamline.search.models import RecentSearch, SearchDocument
from teamline.settings.models import Avatar, UserSettings

__all__ = [
    "Avatar",
    "Base",
    "Device",
    "EventCursor",
    "EventRecord",
    "Favorite",
    "JournalEntry",
    "LiveSocket",
    "Pairing",
    "PhonebookEntry",
    "PhonebookNumber",
    "Presence",
    "RecentSearch",
    "SearchDocument",
    "SigninFailure",
    "User",
    "UserSettings",
]
