"""The one place where a node's parts are built and wired together."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from teamline.accounts.secrets import PasswordHashing
from teamline.accounts.service import AccountsService
from teamline.chat import store as chat_store
from teamline.chat.attachments import AttachmentService
from teamline.chat.service import ChatService
from teamline.config import Settings
from teamline.contacts.service import ContactsService
from teamline.core.db import Database
from teamline.events.bus import Bus, make_bus
from teamline.events.hub import Hub
from teamline.events.service import Events
from teamline.groups.service import GroupService
from teamline.journal.service import JournalService
from teamline.pairing.service import PairingService
from teamline.phonebook.service import PhonebookService
from teamline.presence.service import PresenceService
from teamline.push.service import PushService
from teamline.search.service import SearchService
from teamline.settings.service import SettingsService


@dataclass
class Container:
    settings: Settings
    node_id: str
    db: Database
    bus: Bus
    events: Events
    hub: Hub
    presence: PresenceService
    accounts: AccountsService
    pairing: PairingService
    user_settings: SettingsService
    phonebook: PhonebookService
    journal: JournalService
    search: SearchService
    push: PushService
    chat: ChatService
    attachments: AttachmentService
    groups: GroupService
    contacts: ContactsService

    @classmethod
    def build(cls, settings: Settings) -> Container:
        node_id = secrets.token_hex(6)
        db = Database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        bus = make_bus(settings.redis_url, settings.redis_channel)
        events = Events(db, bus, settings)
        presence = PresenceService(events, settings, node_id)
        accounts = AccountsService(events, settings, PasswordHashing(settings), presence)
        push = PushService(db, settings, unread_totals=chat_store.unread_totals)
        chat = ChatService(events, settings, notifier=push)
        attachments = AttachmentService(chat, settings)
        return cls(
            settings=settings,
            node_id=node_id,
            db=db,
            bus=bus,
            events=events,
            hub=Hub(db),
            presence=presence,
            accounts=accounts,
            pairing=PairingService(events, settings, accounts),
            user_settings=SettingsService(events, settings, accounts),
            phonebook=PhonebookService(events, settings),
            journal=JournalService(events, settings),
            search=SearchService(db, settings, chat.conversations_of),
            push=push,
            chat=chat,
            attachments=attachments,
            groups=GroupService(events, settings, chat, attachments),
            contacts=ContactsService(db),
        )

    async def start(self) -> None:
        await self.db.start()
        await self.hub.start()
        await self.bus.start(self.hub.deliver)
        await self.push.start()

    async def housekeeping(self) -> None:
        """Drop what retention no longer needs: old events, old failed sign-ins, uploads
        that were never sent; and merge the search index's segments."""
        await self.events.prune()
        await self.accounts.prune_failures()
        await self.attachments.prune_unsent()
        await self.search.tidy()

    async def stop(self) -> None:
        await self.push.stop()
        await self.presence.node_stopped()
        await self.bus.close()
        await self.db.close()
