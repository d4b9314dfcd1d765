"""The contact list (CONT-4…9): colleagues, my groups, my favourite phonebook entries (teams
join when they exist), each with presence, unread count and its conversation; favourites
first, then sorted by name, status or recent activity; narrowed by a filter text (word
starts, as in search) and by smart filters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from teamline.accounts.service import Principal
from teamline.contacts import store
from teamline.contacts.schemas import ContactFilter, ContactOut, ContactSort, ContactsOut
from teamline.core.db import Database
from teamline.phonebook import store as phonebook_store
from teamline.presence import store as presence_store
from teamline.presence.service import presence_out
from teamline.search.text import fragments, words
from teamline.settings import store as settings_store

STATUS_ORDER = {"available": 0, "away": 1, "dnd": 2, "offline": 3}
NO_TIME = datetime.min.isoformat()

FILTERS: dict[str, Callable[[ContactOut], bool]] = {
    "online": lambda c: c.presence is not None and c.presence.online,
    "favorites": lambda c: c.favorite,
    "unread": lambda c: c.unread > 0,
    "teams": lambda c: c.kind == "team",
    "groups": lambda c: c.kind == "group",
}


class ContactsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def contacts(
        self,
        caller: Principal,
        *,
        q: str | None,
        filter_: ContactFilter | None,
        sort: ContactSort | None,
    ) -> ContactsOut:
        user_id = caller.user_id
        async with self.db.read() as session:
            users = await store.colleagues(session, user_id)
            presences = await presence_store.get_many(session, [u.id for u in users])
            directs = await store.direct_conversations(session, user_id)
            groups = await store.my_groups(session, user_id)
            favorites = await phonebook_store.favorites_of(session, user_id)
            entries = await store.entries(
                session, [f.target_id for f in favorites if f.kind == "phonebook-entry"]
            )
            settings = await settings_store.get(session, user_id)
        starred = {(f.kind, f.target_id) for f in favorites}
        found: list[ContactOut] = []
        for user in users:
            direct = directs.get(user.id)
            member, conv = direct if direct else (None, None)
            row = presences.get(user.id)
            found.append(
                ContactOut(
                    kind="user",
                    id=user.id,
                    title=user.display_name,
                    subtitle=" · ".join(p for p in (user.extension, user.email) if p),
                    favorite=("user", user.id) in starred,
                    unread=member.unread if member else 0,
                    conversation_id=conv.id if conv else None,
                    last_activity_at=conv.last_activity_at if conv and conv.last_seq else None,
                    presence=presence_out(row) if row else None,
                    number=user.extension,
                    muted=bool(member and member.muted),
                )
            )
        for group, member, conv in groups:
            found.append(
                ContactOut(
                    kind="group",
                    id=group.id,
                    title=group.name,
                    subtitle="",
                    favorite=False,
                    unread=member.unread,
                    conversation_id=conv.id,
                    last_activity_at=conv.last_activity_at,
                    presence=None,
                    number=None,
                    muted=member.muted,
                )
            )
        for entry in entries:
            first = entry.numbers[0] if entry.numbers else None
            found.append(
                ContactOut(
                    kind="phonebook-entry",
                    id=entry.id,
                    title=entry.display_name,
                    subtitle=entry.organisation or "",
                    favorite=True,
                    unread=0,
                    conversation_id=None,
                    last_activity_at=None,
                    presence=None,
                    number=first.e164 if first else None,
                )
            )
        unread_total = sum(c.unread for c in found)
        if q and q.strip():
            wanted = fragments(q)
            found = [c for c in found if _matches(c, wanted)]
        if filter_ is not None:
            found = [c for c in found if FILTERS[filter_](c)]
        order = sort or (settings.contact_sort if settings else "name")
        found.sort(key=_sort_key(order))
        return ContactsOut(contacts=found, unread_total=unread_total)


def _matches(contact: ContactOut, wanted: list[str]) -> bool:
    """Every fragment starts some word of the name or subtitle (SRCH-2)."""
    own = words([contact.title, contact.subtitle])
    return all(any(w.startswith(f) for w in own) for f in wanted)


def _sort_key(order: str) -> Callable[[ContactOut], tuple[object, ...]]:
    def by_name(c: ContactOut) -> tuple[object, ...]:
        return (not c.favorite, c.title.casefold(), c.id)

    def by_status(c: ContactOut) -> tuple[object, ...]:
        state = c.presence.effective if c.presence else "offline"
        return (not c.favorite, STATUS_ORDER.get(state, 3), c.title.casefold(), c.id)

    def by_recent(c: ContactOut) -> tuple[object, ...]:
        # Newest activity first: sort descending on the timestamp by negating its order.
        stamp = c.last_activity_at.isoformat() if c.last_activity_at else NO_TIME
        return (not c.favorite, _Desc(stamp), c.title.casefold(), c.id)

    return {"status": by_status, "recent": by_recent}.get(order, by_name)


class _Desc:
    """Wraps a string so that sorting puts larger values first."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)
