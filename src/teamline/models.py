"""Every table, imported once so the metadata is complete (Alembic, tests)."""

from teamline.accounts.models import Device, SigninFailure, User
from teamline.chat.models import Attachment, Conversation, ConversationMember, Message, Reaction
from teamline.core.db import Base
from teamline.events.models import EventAudience, EventAudienceMember, EventLog, EventRecord
from teamline.groups.models import Group
from teamline.journal.models import JournalEntry
from teamline.pairing.models import Pairing
from teamline.phonebook.models import Favorite, PhonebookEntry, PhonebookNumber
from teamline.presence.models import LiveSocket, Presence
from teamline.push.models import PushNotified, PushSubscription, VapidKey
from teamline.search.models import RecentSearch, SearchDocument
from teamline.settings.models import Avatar, UserSettings

__all__ = [
    "Attachment",
    "Avatar",
    "Base",
    "Conversation",
    "ConversationMember",
    "Device",
    "EventAudience",
    "EventAudienceMember",
    "EventLog",
    "EventRecord",
    "Favorite",
    "Group",
    "JournalEntry",
    "LiveSocket",
    "Message",
    "Pairing",
    "PhonebookEntry",
    "PhonebookNumber",
    "Presence",
    "PushNotified",
    "PushSubscription",
    "Reaction",
    "RecentSearch",
    "SearchDocument",
    "SigninFailure",
    "User",
    "UserSettings",
    "VapidKey",
]
