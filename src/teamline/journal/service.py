"""The call journal (JRNL-1…5, TEAM-6, SET-5).

The call engine calls ``record_call`` once per finished call; it writes one entry per
involved user, seen from that user's side, with the other side's name as it was resolved at
that moment (later renames and phonebook edits leave old entries alone). Every write and
delete keeps the search index in step in the same transaction.

Events (to the entry's user, all devices): ``journal.created {entry}``, ``journal.missed
{count}`` whenever the number of unseen missed calls changes (and on ``seen``),
``journal.deleted {ids}`` when entries are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store as accounts_store
from teamline.config import Settings
from teamline.core.errors import InvalidInput
from teamline.core.phone import display_form, to_e164
from teamline.events.service import Events, Transaction
from teamline.journal import store
from teamline.journal.errors import NoSuchEntry, UnknownPageCursor
from teamline.journal.models import JournalEntry
from teamline.journal.schemas import (
    CallRecord,
    Direction,
    JournalDetailOut,
    JournalListOut,
    JournalOut,
    Party,
    PartyOut,
    Result,
    RouteStepOut,
)
from teamline.phonebook.resolve import resolve
from teamline.search.index import Document, drop, put_many
from teamline.settings import store as settings_store

SOURCE = "journal"  # the search index's name for journal documents


@dataclass(frozen=True)
class ResolvedParty:
    """The other side of a call as it is written into an entry."""

    name: str | None
    number: str | None
    user_id: str | None
    source: str | None


class JournalService:
    def __init__(self, events: Events, settings: Settings) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings

    @property
    def region(self) -> str:
        return self.settings.default_region

    # -- writing ----------------------------------------------------------------------
    async def record_call(self, call: CallRecord) -> list[JournalOut]:
        """Write one entry per involved user of a finished call (JRNL-1, TEAM-6).

        Users in ``call.results`` that no longer exist are skipped. Inbound missed calls are
        unseen until ``mark_seen`` (JRNL-5).
        """
        async with self.events.transaction() as tx:
            written: list[JournalEntry] = []
            for user_id, result in call.results.items():
                if await accounts_store.user_by_id(tx.session, user_id) is None:
                    continue
                party = await self._party(tx.session, call, user_id)
                written.append(self._entry(call, user_id, result, party))
            await store.add(tx.session, written)
            await put_many(tx.session, [search_document(entry) for entry in written])
            outs = [entry_out(entry, self.region) for entry in written]
            for entry, out in zip(written, outs, strict=True):
                tx.emit([entry.user_id], "journal.created", {"entry": out.model_dump(mode="json")})
                if not entry.seen:
                    count = await store.count_unseen(tx.session, entry.user_id)
                    tx.emit([entry.user_id], "journal.missed", {"count": count})
        return outs

    def _entry(
        self, call: CallRecord, user_id: str, result: Result, party: ResolvedParty
    ) -> JournalEntry:
        direction: Direction = call.direction_for(user_id)
        return JournalEntry(
            user_id=user_id,
            call_id=call.call_id,
            direction=direction,
            result=result,
            party_name=party.name,
            party_number=party.number,
            party_user_id=party.user_id,
            party_source=party.source,
            internal=call.internal,
            system=call.system,
            team_name=call.team_name,
            device=call.devices.get(user_id),
            started_at=call.started_at,
            ring_seconds=call.ring_seconds,
            # Only who talked has talk time: not the colleagues of a team call someone else took.
            talk_seconds=call.talk_seconds if result == "answered" else 0,
            route=[
                {"at": step.at.isoformat(), "event": step.event, "target": step.target}
                for step in call.route
            ],
            seen=not (direction == "inbound" and result == "missed"),
        )

    async def _party(self, session: AsyncSession, call: CallRecord, user_id: str) -> ResolvedParty:
        """The other side as ``user_id`` sees it now: a colleague by their current name, a
        number by the phonebooks (BOOK-3), a team's number by the team's name."""
        other: Party = call.other_side(user_id)
        if other.user_id is not None:
            colleague = await accounts_store.user_by_id(session, other.user_id)
            if colleague is not None:
                return ResolvedParty(
                    colleague.display_name, colleague.extension, colleague.id, "user"
                )
        if not other.number:
            return ResolvedParty(None, None, None, None)
        found = await resolve(session, other.number, user_id, self.settings.default_region)
        if found is not None:
            user_ref = found.ref_id if found.source == "user" else None
            return ResolvedParty(found.name, found.number_e164, user_ref, found.source)
        number = normalised(other.number, self.settings.default_region)
        # A call to a team's number shows the team when no book knows the number.
        name = call.team_name if call.direction_for(user_id) == "outbound" else None
        return ResolvedParty(name, number, None, None)

    # -- reading ----------------------------------------------------------------------
    async def list_entries(
        self,
        user_id: str,
        *,
        direction: Direction | None = None,
        result: Result | None = None,
        internal: bool | None = None,
        limit: int = 50,
        before: str | None = None,
    ) -> JournalListOut:
        """The user's journal, newest first, filtered (JRNL-4); system calls left out when the
        user hides them (SET-5). ``before`` is the last entry id of the previous page."""
        async with self.db.read() as session:
            hide_system = await self._hides_system_calls(session, user_id)
            cursor = None
            if before is not None:
                cursor = await store.entry_of(session, user_id, before) if is_id(before) else None
                if cursor is None:
                    raise UnknownPageCursor(
                        "'before' is not an entry of your journal; start from the first page.",
                        details={"before": "no such entry"},
                    )
            rows = await store.entries(
                session,
                user_id,
                direction=direction,
                result=result,
                internal=internal,
                hide_system=hide_system,
                before=cursor,
                limit=limit,
            )
            unseen = await store.count_unseen(session, user_id)
        return JournalListOut(
            entries=[entry_out(row, self.region) for row in rows], missed_unseen=unseen
        )

    async def get_entry(self, user_id: str, entry_id: str) -> JournalDetailOut:
        """One entry with its route, the last 10 other calls with the same party, and the
        text to copy (JRNL-2, JRNL-3)."""
        async with self.db.read() as session:
            entry = await self._own(session, user_id, entry_id)
            hide_system = await self._hides_system_calls(session, user_id)
            recent = await store.with_party(session, entry, hide_system=hide_system, limit=10)
        return JournalDetailOut(
            **entry_out(entry, self.region).model_dump(),
            route=[RouteStepOut.model_validate(step) for step in entry.route],
            recent_with_party=[entry_out(row, self.region) for row in recent],
            copy_text=copy_text(entry.party_name, entry.party_number, self.settings.default_region),
        )

    # -- changing ---------------------------------------------------------------------
    async def mark_seen(self, user_id: str) -> None:
        """Every missed call seen: the counter goes to 0 on all the user's devices (JRNL-5)."""
        async with self.events.transaction() as tx:
            await store.mark_seen(tx.session, user_id)
            tx.emit([user_id], "journal.missed", {"count": 0})

    async def delete_entry(self, user_id: str, entry_id: str) -> None:
        """Delete one of the user's own entries (JRNL-5)."""
        async with self.events.transaction() as tx:
            entry = await self._own(tx.session, user_id, entry_id)
            unseen = not entry.seen
            await store.delete_entry(tx.session, entry)
            await self._dropped(tx, user_id, [entry_id], unseen_changed=unseen)

    async def clear(self, user_id: str) -> None:
        """Delete the user's whole journal (JRNL-5)."""
        async with self.events.transaction() as tx:
            unseen = await store.count_unseen(tx.session, user_id)
            ids = await store.delete_all(tx.session, user_id)
            if ids:
                await self._dropped(tx, user_id, ids, unseen_changed=unseen > 0)

    async def _dropped(
        self, tx: Transaction, user_id: str, ids: list[str], *, unseen_changed: bool
    ) -> None:
        for entry_id in ids:
            await drop(tx.session, SOURCE, entry_id)
        tx.emit([user_id], "journal.deleted", {"ids": ids})
        if unseen_changed:
            count = await store.count_unseen(tx.session, user_id)
            tx.emit([user_id], "journal.missed", {"count": count})

    # -- helpers ----------------------------------------------------------------------
    async def _own(self, session: AsyncSession, user_id: str, entry_id: str) -> JournalEntry:
        entry = await store.entry_of(session, user_id, entry_id) if is_id(entry_id) else None
        if entry is None:
            raise NoSuchEntry("There is no such entry in your journal.")
        return entry

    async def _hides_system_calls(self, session: AsyncSession, user_id: str) -> bool:
        row = await settings_store.get(session, user_id)
        return bool(row and row.hide_system_calls)


def is_id(text: str) -> bool:
    """Could be an entry id: short ASCII letters and digits. Anything else is not looked up
    (PostgreSQL refuses NUL characters in text with an error, not an empty result)."""
    return 0 < len(text) <= 32 and text.isascii() and text.isalnum()


def entry_out(entry: JournalEntry, region: str) -> JournalOut:
    return JournalOut.model_validate(
        {
            "id": entry.id,
            "call_id": entry.call_id,
            "direction": entry.direction,
            "result": entry.result,
            "party": PartyOut.model_validate(
                {
                    "name": entry.party_name,
                    "number": entry.party_number,
                    "display": display_form(entry.party_number, region=region),
                    "user_id": entry.party_user_id,
                    "source": entry.party_source,
                }
            ),
            "internal": entry.internal,
            "system": entry.system,
            "team_name": entry.team_name,
            "device": entry.device,
            "started_at": entry.started_at,
            "ring_seconds": entry.ring_seconds,
            "talk_seconds": entry.talk_seconds,
            "seen": entry.seen,
        }
    )


def search_document(entry: JournalEntry) -> Document:
    """What the search finds a journal entry by: the party's name and number, the team."""
    when = entry.started_at.strftime("%Y-%m-%d %H:%M")
    return Document(
        source=SOURCE,
        ref_id=entry.id,
        scope=[f"u{entry.user_id}"],
        title=entry.party_name or entry.party_number or "Unknown number",
        subtitle=f"{entry.result} · {when}",
        text=[entry.party_name, entry.team_name],
        numbers=[entry.party_number] if entry.party_number else [],
    )


def normalised(number: str, region: str) -> str:
    """E.164 when the number is a valid phone number; otherwise as given (an extension, a
    short code), stripped."""
    try:
        return to_e164(number, region=region) or number.strip()
    except InvalidInput:
        return number.strip()


def copy_text(name: str | None, number: str | None, region: str) -> str:
    """ "Max-Andreas Mustermann, +49 170 1234567": the party as a person would write it."""
    shown = number
    if number and number.startswith("+"):
        try:
            parsed = phonenumbers.parse(number, region)
            shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            shown = number
    return ", ".join(part for part in (name, shown) if part) or "Unknown number"
