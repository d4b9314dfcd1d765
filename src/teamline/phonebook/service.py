"""Phonebooks (BOOK-1…5) and favorites (CONT-4): the company book everyone reads and managers
maintain, a private book per user, imports and exports, stars on colleagues and entries.

Every write puts (or drops) the entry's search document in the same transaction and tells
the users concerned after commit: ``phonebook.changed`` (company book: every active user;
private book: its owner) and ``favorites.changed`` (the user's own devices).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections import deque
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store as accounts_store
from teamline.accounts.service import Principal
from teamline.config import Settings
from teamline.core.errors import InvalidInput, NotFound
from teamline.core.ids import new_id, utcnow
from teamline.events.service import Events, Transaction
from teamline.phonebook import exporting, store
from teamline.phonebook.errors import CompanyBookReadOnly, NoSuchEntry
from teamline.phonebook.importing import (
    Contact,
    ParsedFile,
    RawContact,
    decode,
    file_kind,
    read_file,
    read_vcard_piece,
    to_contact,
    vcard_pieces,
)
from teamline.phonebook.models import PhonebookEntry, PhonebookNumber
from teamline.phonebook.resolve import resolve
from teamline.phonebook.schemas import (
    EntriesOut,
    EntryIn,
    EntryOut,
    EntryPatchIn,
    FavoriteOut,
    FavoritesOut,
    ImportProblem,
    ImportResultOut,
    NumberOut,
    ResolutionOut,
)
from teamline.search import index as search_index
from teamline.search.index import Document, IndexedText

if TYPE_CHECKING:
    from teamline.container import Container

log = logging.getLogger(__name__)

WRITERS = frozenset({"phonebook-manager", "admin"})
IMPORT_MAX_BYTES = 50 * 1024 * 1024
# Entries written per import transaction: big enough for batched INSERTs, small enough that
# other writers (SQLite has one at a time) wait well under a second.
IMPORT_BATCH = 500
# Cards of a big vCard file parsed at a time by a process of its own (see _parsed_elsewhere).
PARSE_PIECE = 2_000
Progress = Callable[[int], None]


class PhonebookService:
    def __init__(self, events: Events, settings: Settings) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.import_max_bytes = IMPORT_MAX_BYTES
        self.parse_piece_cards = PARSE_PIECE

    # -- entries ----------------------------------------------------------------------
    async def list_entries(
        self, caller: Principal, book: str, *, q: str | None, limit: int | None, offset: int
    ) -> EntriesOut:
        """A page of the company book or the caller's private book, sorted by display name."""
        async with self.db.scan() as session:
            rows, total = await store.entries(
                session, book, _owner(caller, book), q=q, limit=limit, offset=offset
            )
            stars = await store.favorite_targets(
                session, caller.user_id, "phonebook-entry", [r.id for r in rows]
            )
        return EntriesOut(entries=[entry_out(r, r.id in stars) for r in rows], total=total)

    async def get_entry(self, caller: Principal, book: str, entry_id: str) -> EntryOut:
        async with self.db.read() as session:
            entry = await self._visible(session, caller, book, entry_id)
            return await self._out(session, caller, entry)

    async def create_entry(self, caller: Principal, book: str, data: EntryIn) -> EntryOut:
        """Add an entry; company book only for phonebook managers and administrators."""
        _require_writer(caller, book)
        contact = self._contact(
            RawContact(
                **data.model_dump(exclude={"numbers"}),
                numbers=[(n.type, n.number) for n in data.numbers],
            )
        )
        async with self.events.transaction() as tx:
            now = utcnow()
            entry = PhonebookEntry(
                id=new_id(),
                book=book,
                owner_id=_owner(caller, book),
                created_at=now,
                numbers=[],
            )
            tx.session.add(entry)
            _apply(entry, contact)
            await tx.session.flush()
            await self._index(tx, entry)
            await self._announce(tx, entry, {"book": book, "id": entry.id})
            return entry_out(entry, favorite=False)

    async def update_entry(
        self, caller: Principal, book: str, entry_id: str, patch: EntryPatchIn
    ) -> EntryOut:
        """Change the given fields; ``numbers`` and ``labels`` are replaced as a whole."""
        _require_writer(caller, book)
        fields = patch.model_dump(exclude_unset=True)
        async with self.events.transaction() as tx:
            entry = await self._visible(tx.session, caller, book, entry_id)
            raw = RawContact(
                display_name=entry.display_name,
                first_name=entry.first_name,
                last_name=entry.last_name,
                organisation=entry.organisation,
                email=entry.email,
                notes=entry.notes,
                numbers=[(n.type, n.e164) for n in entry.numbers],
                labels=dict(entry.labels or {}),
            )
            for name, value in fields.items():
                if name == "numbers":
                    # from the model: a dump of set fields leaves out a defaulted ``type``
                    raw.numbers = [(n.type, n.number) for n in patch.numbers or []]
                elif name == "labels":
                    raw.labels = dict(value or {})
                else:
                    setattr(raw, name, value)
            _apply(entry, self._contact(raw))
            await tx.session.flush()
            await self._index(tx, entry)
            await self._announce(tx, entry, {"book": book, "id": entry.id})
            return await self._out(tx.session, caller, entry)

    async def delete_entry(self, caller: Principal, book: str, entry_id: str) -> None:
        """Delete an entry, its search document and every star on it."""
        _require_writer(caller, book)
        async with self.events.transaction() as tx:
            entry = await self._visible(tx.session, caller, book, entry_id)
            await search_index.drop(tx.session, _source(book), entry.id)
            for user_id in await store.drop_favorites_of_target(
                tx.session, "phonebook-entry", entry.id
            ):
                tx.emit(
                    [user_id],
                    "favorites.changed",
                    {"kind": "phonebook-entry", "id": entry.id, "favorite": False},
                )
            await self._announce(tx, entry, {"book": book, "id": entry.id, "deleted": True})
            await tx.session.delete(entry)

    # -- import / export --------------------------------------------------------------
    async def import_file(
        self, caller: Principal, book: str, body: bytes, content_type: str | None
    ) -> ImportResultOut:
        """Import a CSV or vCard file into a book (BOOK-1, BOOK-2); bad rows are reported."""
        _require_writer(caller, book)
        region = self.settings.default_region
        owner_id = _owner(caller, book)
        text = await asyncio.to_thread(decode, body)
        if file_kind(text, content_type) == "vcard":
            pieces = await asyncio.to_thread(vcard_pieces, text, self.parse_piece_cards)
            if len(pieces) > 1:
                share = _Written()
                parts = _parsed_elsewhere(pieces, region, book, owner_id, share)
                return await self._import_parts(book, owner_id, parts, None, share)
        # Parsing takes seconds of CPU: keep it off the event loop.
        parsed = await asyncio.to_thread(read_file, body, content_type, region)
        return await self.import_contacts(book, owner_id, parsed)

    async def import_contacts(
        self,
        book: str,
        owner_id: str | None,
        parsed: ParsedFile,
        progress: Progress | None = None,
    ) -> ImportResultOut:
        """Store parsed contacts in batches, updating those whose import key (or, for our own
        export, whose UID as entry id) is already in the book."""

        async def whole() -> AsyncGenerator[ParsedFile, None]:
            yield parsed

        return await self._import_parts(book, owner_id, whole(), progress)

    async def _import_parts(
        self,
        book: str,
        owner_id: str | None,
        parts: AsyncGenerator[ParsedFile, None],
        progress: Progress | None,
        share: _Written | None = None,
    ) -> ImportResultOut:
        imported = updated = batches = 0
        problems: list[ImportProblem] = []
        async with aclosing(parts):
            async for parsed in parts:
                problems.extend(parsed.problems)
                contacts = parsed.contacts
                for start in range(0, len(contacts), IMPORT_BATCH):
                    batch = [c for _, c in contacts[start : start + IMPORT_BATCH]]
                    new, changed, written = await self._import_batch(book, owner_id, batch)
                    if share is not None:
                        share.cards += len(batch)
                        share.written += written
                    if new and batches in (0, 1, 3, 7, 15, 31, 63):
                        async with self.db.write() as session:
                            await store.refresh_statistics(session)
                    batches += 1
                    imported += new
                    updated += changed
                    if progress is not None:
                        progress(len(batch))
        problems.sort(key=lambda p: p.line)
        return ImportResultOut(imported=imported, updated=updated, errors=problems)

    async def _import_batch(
        self, book: str, owner_id: str | None, contacts: Sequence[Contact]
    ) -> tuple[int, int, int]:
        """Write one batch: entries and numbers as a few executemany statements (no ORM
        objects), their search documents with one ``put_many``, one event. Gives the new
        entries, the matched ones and how many entries were written (new or changed)."""
        imported = updated = 0
        async with self.events.transaction() as tx:
            keys = {c.import_key for c in contacts}
            found = await store.stored_by_key(tx.session, book, owner_id, keys)
            key_ids = {e.import_key: e.id for e in found if e.import_key is not None}
            uids = {c.uid for c in contacts if c.uid and c.import_key not in key_ids}
            by_uid = await store.stored_by_id(tx.session, book, owner_id, uids)
            # What each entry holds (or will hold, once this batch is written).
            current = {e.id: _stored_content(e) for e in (*found, *by_uid)}
            planned: dict[str, Contact] = {}
            fresh: dict[str, str] = {}  # new entry id → import key
            for contact in contacts:
                key = contact.import_key
                entry_id = key_ids.get(key)
                if entry_id is None and contact.uid in current:
                    entry_id = contact.uid
                content = _content(contact)
                if entry_id is None:
                    entry_id = new_id()
                    key_ids[key] = entry_id
                    fresh[entry_id] = key
                    imported += 1
                else:
                    updated += 1
                    if current[entry_id] == content:
                        continue  # re-importing the same file writes nothing
                current[entry_id] = content
                planned[entry_id] = contact
            now = utcnow()
            new_rows: list[dict[str, Any]] = []
            changed_rows: list[dict[str, Any]] = []
            number_rows: list[dict[str, Any]] = []
            for entry_id, contact in planned.items():
                row = _entry_row(contact, now)
                if entry_id in fresh:
                    new_rows.append(
                        {
                            "id": entry_id,
                            "book": book,
                            "owner_id": owner_id,
                            "import_key": fresh[entry_id],
                            "created_at": now,
                            **row,
                        }
                    )
                else:
                    changed_rows.append({"id": entry_id, **row})
                number_rows.extend(
                    {
                        "entry_id": entry_id,
                        "position": position,
                        "type": n.type,
                        "e164": n.e164,
                        "national": n.national,
                    }
                    for position, n in enumerate(contact.numbers)
                )
            fresh_numbers = [r for r in number_rows if r["entry_id"] in fresh]
            await store.add_entries(tx.session, new_rows, fresh_numbers)
            await store.change_entries(
                tx.session, changed_rows, [r for r in number_rows if r["entry_id"] not in fresh]
            )
            await search_index.put_many(
                tx.session,
                [
                    _document(book, owner_id, i, c, c.numbers, c.search_text)
                    for i, c in planned.items()
                ],
            )
            if planned:
                await self._announce(tx, None, {"book": book, "id": None, "import": True}, owner_id)
        return imported, updated, len(planned)

    async def export_vcards(self, caller: Principal, book: str) -> str:
        """The whole book as vCard 3.0 (UID = entry id)."""
        async with self.db.scan() as session:
            rows, _ = await store.entries(session, book, _owner(caller, book))
        return "".join(exporting.vcards(rows))

    # -- favorites (BOOK-4, CONT-4) ---------------------------------------------------
    async def favorites(self, caller: Principal) -> FavoritesOut:
        async with self.db.read() as session:
            rows = await store.favorites_of(session, caller.user_id)
        return FavoritesOut(favorites=[FavoriteOut(kind=r.kind, id=r.target_id) for r in rows])

    async def star(self, caller: Principal, kind: str, target_id: str) -> None:
        """Mark a colleague or a visible entry as favorite; doing it twice changes nothing."""
        async with self.events.transaction() as tx:
            await self._check_target(tx.session, caller, kind, target_id)
            if await store.favorite(tx.session, caller.user_id, kind, target_id) is None:
                await store.add_favorite(tx.session, caller.user_id, kind, target_id)
                tx.emit(
                    [caller.user_id],
                    "favorites.changed",
                    {"kind": kind, "id": target_id, "favorite": True},
                )

    async def unstar(self, caller: Principal, kind: str, target_id: str) -> None:
        """Remove the star; doing it twice changes nothing."""
        async with self.events.transaction() as tx:
            await self._check_target(tx.session, caller, kind, target_id)
            if await store.remove_favorite(tx.session, caller.user_id, kind, target_id):
                tx.emit(
                    [caller.user_id],
                    "favorites.changed",
                    {"kind": kind, "id": target_id, "favorite": False},
                )

    async def _check_target(
        self, session: AsyncSession, caller: Principal, kind: str, target_id: str
    ) -> None:
        if kind == "user":
            if await store.active_user(session, target_id) is None:
                raise NotFound("No such user.")
            return
        entry = await store.entry(session, target_id)
        if entry is None or not _may_see(caller, entry):
            raise NoSuchEntry("No such phonebook entry.")

    # -- caller names (BOOK-3) --------------------------------------------------------
    async def resolve_number(self, caller: Principal, number: str) -> ResolutionOut:
        """Whose number this is, for the caller: colleague, own private book, company book."""
        async with self.db.read() as session:
            found = await resolve(session, number, caller.user_id, self.settings.default_region)
        if found is None:
            raise NotFound("Nobody known has this number.")
        return ResolutionOut(
            name=found.name,
            source=found.source,
            ref_id=found.ref_id,
            number_e164=found.number_e164,
        )

    # -- helpers ----------------------------------------------------------------------
    def _contact(self, raw: RawContact) -> Contact:
        return to_contact(raw, self.settings.default_region)

    async def _visible(
        self, session: AsyncSession, caller: Principal, book: str, entry_id: str
    ) -> PhonebookEntry:
        entry = await store.entry(session, entry_id)
        if entry is None or entry.book != book or not _may_see(caller, entry):
            raise NoSuchEntry("No such phonebook entry.")
        return entry

    async def _out(
        self, session: AsyncSession, caller: Principal, entry: PhonebookEntry
    ) -> EntryOut:
        stars = await store.favorite_targets(session, caller.user_id, "phonebook-entry", [entry.id])
        return entry_out(entry, entry.id in stars)

    async def _index(self, tx: Transaction, entry: PhonebookEntry) -> None:
        await search_index.put(tx.session, search_document(entry))

    async def _announce(
        self,
        tx: Transaction,
        entry: PhonebookEntry | None,
        data: dict[str, object],
        owner_id: str | None = None,
    ) -> None:
        """``phonebook.changed``: the company book to every active user, a private one to its
        owner only."""
        owner = entry.owner_id if entry is not None else owner_id
        if owner is None:
            recipients = await accounts_store.active_user_ids(tx.session)
        else:
            recipients = [owner]
        tx.emit(recipients, "phonebook.changed", data)


@dataclass
class _Written:
    """Cards of a file stored so far, and how many of them were written (new or changed)."""

    cards: int = 0
    written: int = 0

    def search_text_wanted(self) -> bool:
        """Whether search text computed while parsing will be used: not for a re-import of
        mostly unchanged cards, whose parsing bounds the import (computing it anyway made
        that import 15 % slower)."""
        return self.written * 2 >= self.cards


async def _parsed_elsewhere(
    pieces: list[tuple[int, str]],
    region: str,
    book: str,
    owner_id: str | None,
    share: _Written,
) -> AsyncGenerator[ParsedFile, None]:
    """The pieces of a big vCard file parsed, in order, by a process of their own while the
    caller stores the ones before: parsing (phonenumbers above all) is pure Python and,
    in a thread, would take turns with the writes for the one interpreter lock. Two pieces
    are asked for ahead, each with the search text if ``share`` says so at that moment."""
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    parsed: deque[asyncio.Future[ParsedFile]] = deque()
    queued = iter(pieces)

    def ask_next() -> None:
        piece = next(queued, None)
        if piece is not None:
            first_line, text = piece
            wanted = share.search_text_wanted()
            parsed.append(
                loop.run_in_executor(
                    pool, _read_piece, text, first_line, region, book, owner_id, wanted
                )
            )

    try:
        ask_next()
        ask_next()
        while parsed:
            piece = await parsed[0]
            parsed.popleft()
            ask_next()
            yield piece
    except BaseException:
        # Not waiting: after a failed batch the process finishes its piece and exits.
        pool.shutdown(wait=False, cancel_futures=True)
        for part in parsed:
            if not part.cancel() and not part.cancelled():
                part.exception()  # taken: a broken pool fails every piece, not only this one
        raise
    await asyncio.to_thread(pool.shutdown)


def _read_piece(
    text: str,
    first_line: int,
    region: str,
    book: str,
    owner_id: str | None,
    search_text: bool,
) -> ParsedFile:
    """``read_vcard_piece``, each contact with its search text: computed here, in the
    parsing process, folding the words and writing out the numbers' digit strings runs
    beside the writes instead of between them (a quarter of the writing process's CPU:
    6.2-6.8 s → 4.6-5.3 s for 50,000 cards, the parsing process 1.5 s more)."""
    parsed = read_vcard_piece(text, first_line, region)
    if not search_text:
        return parsed
    parsed.contacts = [
        (
            line,
            replace(
                contact,
                search_text=search_index.indexed_text(
                    _document(book, owner_id, "", contact, contact.numbers)
                ),
            ),
        )
        for line, contact in parsed.contacts
    ]
    return parsed


def _owner(caller: Principal, book: str) -> str | None:
    return caller.user_id if book == "private" else None


def _source(book: str) -> str:
    return f"{book}-phonebook"


def _require_writer(caller: Principal, book: str) -> None:
    if book == "company" and caller.role not in WRITERS:
        raise CompanyBookReadOnly(
            "Only phonebook managers and administrators may change the company phonebook."
        )


def _may_see(caller: Principal, entry: PhonebookEntry) -> bool:
    return entry.book == "company" or entry.owner_id == caller.user_id


def _content(contact: Contact) -> tuple[object, ...]:
    """What an import compares to tell a changed card from an unchanged one."""
    return (
        contact.display_name,
        contact.first_name,
        contact.last_name,
        contact.organisation,
        contact.email,
        contact.notes,
        contact.labels,
        [(n.type, n.e164, n.national) for n in contact.numbers],
    )


def _stored_content(entry: store.StoredEntry) -> tuple[object, ...]:
    return (
        entry.display_name,
        entry.first_name,
        entry.last_name,
        entry.organisation,
        entry.email,
        entry.notes,
        dict(entry.labels or {}),
        entry.numbers,
    )


def _entry_row(contact: Contact, now: datetime) -> dict[str, Any]:
    """The ``phonebook_entries`` columns an import writes from a card."""
    return {
        "display_name": contact.display_name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "organisation": contact.organisation,
        "email": contact.email,
        "notes": contact.notes,
        "labels": dict(contact.labels),
        "updated_at": now,
    }


def _apply(entry: PhonebookEntry, contact: Contact) -> None:
    """Write a checked contact into an entry; number rows are reused in place (their primary
    key is the position, and a delete plus insert of the same key in one flush would clash)."""
    entry.display_name = contact.display_name
    entry.first_name = contact.first_name
    entry.last_name = contact.last_name
    entry.organisation = contact.organisation
    entry.email = contact.email
    entry.notes = contact.notes
    entry.labels = dict(contact.labels)
    entry.updated_at = utcnow()
    rows = entry.numbers
    for position, number in enumerate(contact.numbers):
        if position < len(rows):
            row = rows[position]
            row.type, row.e164, row.national = number.type, number.e164, number.national
        else:
            rows.append(
                PhonebookNumber(
                    position=position, type=number.type, e164=number.e164, national=number.national
                )
            )
    del rows[len(contact.numbers) :]


class _Number(Protocol):
    @property
    def e164(self) -> str: ...
    @property
    def national(self) -> str: ...


class _Card(Protocol):
    """An entry's searchable values: a stored entry or a checked contact."""

    @property
    def display_name(self) -> str: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def organisation(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def labels(self) -> Mapping[str, Any]: ...


def search_document(entry: PhonebookEntry) -> Document:
    """The entry's search document (SRCH): found by names, organisation, e-mail, notes,
    label values and numbers; private entries by their owner only."""
    return _document(entry.book, entry.owner_id, entry.id, entry, entry.numbers)


def _document(
    book: str,
    owner_id: str | None,
    entry_id: str,
    card: _Card,
    numbers: Sequence[_Number],
    indexed: IndexedText | None = None,
) -> Document:
    first = numbers[0].national if numbers else ""
    return Document(
        source=_source(book),
        ref_id=entry_id,
        scope=["all"] if book == "company" else [f"u{owner_id}"],
        title=card.display_name,
        subtitle=card.organisation or first,
        text=[
            card.first_name,
            card.last_name,
            card.organisation,
            card.email,
            card.notes,
            *[str(v) for v in (card.labels or {}).values()],
        ],
        numbers=[n.e164 for n in numbers],
        displayed=[n.national for n in numbers],
        indexed=indexed,
    )


def entry_out(entry: PhonebookEntry, favorite: bool) -> EntryOut:
    return EntryOut(
        id=entry.id,
        book=entry.book,
        display_name=entry.display_name,
        first_name=entry.first_name,
        last_name=entry.last_name,
        organisation=entry.organisation,
        numbers=[NumberOut(type=n.type, number=n.e164, display=n.national) for n in entry.numbers],
        email=entry.email,
        notes=entry.notes,
        labels={str(k): str(v) for k, v in (entry.labels or {}).items()},
        favorite=favorite,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


async def seed_phonebook(app: Container) -> None:
    """Put the demo company's phonebook (``teamline.demo.data.PHONEBOOK``) into the company
    book; running it again updates the same entries."""
    from teamline.demo.data import PHONEBOOK

    region = app.settings.default_region
    parsed = ParsedFile()
    for line, demo in enumerate(PHONEBOOK, start=1):
        raw = RawContact(
            line=line,
            display_name=demo.display_name,
            organisation=demo.organisation,
            email=demo.email,
            numbers=list(demo.numbers),
        )
        try:
            parsed.contacts.append((line, to_contact(raw, region)))
        except InvalidInput as exc:
            parsed.problems.append(ImportProblem(line=line, message=exc.message))
    result = await app.phonebook.import_contacts("company", None, parsed)
    for problem in result.errors:
        log.warning("demo phonebook entry %d not added: %s", problem.line, problem.message)
