"""Keeping the search index in step: every domain puts and drops its documents here, in the
same transaction as the write that changes them.

    await put(session, Document(source="company-phonebook", ref_id=entry.id, scope=["all"],
                                title=entry.display_name, subtitle=entry.organisation or "",
                                text=[entry.first_name, entry.last_name, entry.email],
                                numbers=["+491701234567"]))
    await drop(session, "company-phonebook", entry.id)

Sources: ``contact`` (users; teams and groups later), ``company-phonebook``,
``private-phonebook``, ``journal``, ``chat``. Scope tokens say who may find a document:
``all`` (every user), ``u<user id>`` (that user only), ``c<conversation id>`` (its members).

On SQLite the FTS5 tables are external-content tables over ``search_documents``: their rows
are written here, and removing one needs the values it was indexed with, which the document
row still holds at that moment. Chat messages have a words table of their own
(``search_chat_fts``): the other sources' prefix lookups then never wade through a million
messages. Numbers are found by their digit endings (``number_terms``): on SQLite in
``search_numbers`` (an FTS5 table with its own content, words and scope like the others), on
PostgreSQL marked with "#" in ``search_words`` beside the words (see ``pg_terms``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Table,
    any_,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.core.ids import utcnow
from teamline.core.prepared import Prepared
from teamline.search.models import SearchDocument
from teamline.search.text import number_variants, words


@dataclass(frozen=True)
class Document:
    source: str
    ref_id: str
    scope: list[str]
    title: str
    subtitle: str = ""
    text: Iterable[str | None] = ()  # more words to match besides title and subtitle
    numbers: Iterable[str] = ()  # E.164 numbers (extensions too)
    displayed: Sequence[str] = ()  # the numbers as shown, where known (spares parsing them)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. conversation_id, message_id
    # ``indexed_text(self)``, where computed beforehand (by the process that parsed an import
    # file, off the writing process's path): then not computed again.
    indexed: IndexedText | None = None


@dataclass(frozen=True)
class IndexedText:
    """A document's folded words and number digit strings, as ``search_documents`` holds
    them (space separated)."""

    words: str
    digits: str


def indexed_text(document: Document) -> IndexedText:
    return IndexedText(
        " ".join(words([document.title, document.subtitle, *document.text])),
        " ".join(number_variants(list(document.numbers), displayed=document.displayed)),
    )


_documents = cast(Table, SearchDocument.__table__)
_INDEXED = (
    SearchDocument.rowid,
    SearchDocument.source,
    SearchDocument.words,
    SearchDocument.scope,
    SearchDocument.digits,
)


@dataclass(frozen=True)
class _Indexed:
    """What a document was indexed with (needed to take it out of an FTS5 table)."""

    rowid: int
    source: str
    words: str
    scope: str
    digits: str


# PostgreSQL keeps one ``search_words`` row per (scope token, word, document): a fragment is
# a range of words under each scope token the caller holds, read from the primary key alone
# (migration 0007). Longer words are cut to WORD_MAX characters there (a B-tree entry has a
# size limit); a longer fragment is cut alike and checked on the document row.
WORD_MAX = 64


# Who may see a source's documents, by scope token kind: "all", "u" (a user), "c" (the
# members of a conversation). A search asks each source only for the kinds it uses: on
# PostgreSQL every scope token in a query is tested for every candidate row, so the company
# book's query must not carry the caller's fifty conversation tokens. ``put`` refuses a
# document whose scope is not declared here.
SCOPE_KINDS: dict[str, frozenset[str]] = {
    "contact": frozenset({"all", "u", "c"}),  # users; groups (their conversation's members)
    "private-phonebook": frozenset({"u"}),
    "company-phonebook": frozenset({"all"}),
    "journal": frozenset({"u"}),
    "chat": frozenset({"c"}),
}


def scope_kind(token: str) -> str:
    return "all" if token == "all" else token[:1]


def scope_tokens(source: str, scope: Iterable[str]) -> list[str]:
    """Index tokens for who may find a document, fused with its source:
    ``("company-phonebook", ["all"])`` → ``["companyphonebookall"]``.

    Fused, a query for one source names only small doclists (one conversation's messages,
    one user's journal) instead of intersecting a huge "every chat message" token with them.
    """
    key = source.replace("-", "")
    return [key + token for token in scope]


def words_table(source: str) -> str:
    """The SQLite FTS5 table holding a source's words."""
    return "search_chat_fts" if source == "chat" else "search_fts"


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _ref_id_in(session: AsyncSession, ref_ids: Sequence[str]) -> ColumnElement[bool]:
    """``ref_id IN (...)``; on PostgreSQL as ``= ANY(<one array parameter>)``: for a list of
    parameters its cached generic plan uses the index for ``source`` only and compares
    every row of the source with the whole list (seconds per batch)."""
    if _is_sqlite(session):
        return SearchDocument.ref_id.in_(ref_ids)
    return SearchDocument.ref_id == any_(bindparam("ref_ids", list(ref_ids), type_=ARRAY(String)))


def _row(document: Document, now: datetime) -> dict[str, Any]:
    """The ``search_documents`` row of a document."""
    kinds = SCOPE_KINDS.get(document.source)
    if kinds is not None and not {scope_kind(token) for token in document.scope} <= kinds:
        raise ValueError(
            f"search scope {document.scope} is not one of {sorted(kinds)} for {document.source}"
        )
    numbers = list(document.numbers)
    extra = dict(document.extra)
    if numbers:
        extra.setdefault("number", numbers[0])
    text_ = document.indexed or indexed_text(document)
    return {
        "source": document.source,
        "ref_id": document.ref_id,
        "scope": " ".join(scope_tokens(document.source, document.scope)),
        "title": document.title[:300],
        "subtitle": document.subtitle[:300],
        "words": text_.words,
        "digits": text_.digits,
        "extra": extra,
        "updated_at": now,
    }


async def put(session: AsyncSession, document: Document) -> None:
    """Add or replace the document (source, ref_id)."""
    await put_many(session, [document])


_ADD_NEW = Prepared(
    insert(_documents)
    .values({c.name: bindparam(c.name) for c in _documents.c if c.name != "rowid"})
    .returning(_documents.c.rowid)
)


async def put_new(session: AsyncSession, document: Document) -> None:
    """Add a document that cannot be indexed yet (a message just written): unlike ``put``,
    no look-up for an earlier version first, and two prepared statements on SQLite where
    ``put`` takes four through SQLAlchemy (a chat send's hot path)."""
    row = _row(document, utcnow())
    [(rowid,)] = await _ADD_NEW(session, **row)
    if _is_sqlite(session):
        await _fts_add(session, [(int(rowid), row)])
    else:
        await _pg_reindex(session, [], [(int(rowid), row)])


async def put_many(session: AsyncSession, documents: Sequence[Document]) -> None:
    """Add or replace a batch of documents with a few statements for the whole batch."""
    if not documents:
        return
    now = utcnow()
    rows = {(d.source, d.ref_id): _row(d, now) for d in documents}
    # One "source = ? AND ref_id IN (...)" per source, answered from the unique index.
    by_source: dict[str, list[str]] = {}
    for source, ref_id in rows:
        by_source.setdefault(source, []).append(ref_id)
    indexed: list[tuple[int, dict[str, Any]]] = []
    old: list[_Indexed] = []
    for source, ref_ids in by_source.items():
        for start in range(0, len(ref_ids), 1000):
            found = await session.execute(
                select(SearchDocument.ref_id, *_INDEXED).where(
                    SearchDocument.source == source,
                    _ref_id_in(session, ref_ids[start : start + 1000]),
                )
            )
            for ref_id, rowid, source_, words_, scope, digits in found.all():
                old.append(_Indexed(int(rowid), source_, words_, scope, digits))
                indexed.append((int(rowid), rows.pop((source_, ref_id))))
    if old:
        if _is_sqlite(session):
            await _fts_remove(session, old)
        changed = ("scope", "title", "subtitle", "words", "digits", "extra", "updated_at")
        await session.execute(
            update(_documents)
            .where(_documents.c.rowid == bindparam("b_rowid"))
            .values({name: bindparam(f"b_{name}") for name in changed}),
            [
                {"b_rowid": rowid, **{f"b_{name}": row[name] for name in changed}}
                for rowid, row in indexed
            ],
        )
    if rows and _is_sqlite(session):
        # A plain executemany, then the new rowids by (source, ref_id): on SQLite an INSERT …
        # RETURNING of a batch (SQLAlchemy's "insertmanyvalues") cost six times as much CPU
        # (a phonebook import: 0.26 ms a document against 0.05 ms).
        fresh = list(rows.values())
        await session.execute(insert(_documents), fresh)
        added: dict[str, list[str]] = {}
        for source, ref_id in rows:
            added.setdefault(source, []).append(ref_id)
        new_ids: dict[tuple[str, str], int] = {}
        for source, ref_ids in added.items():
            for start in range(0, len(ref_ids), 1000):
                inserted = await session.execute(
                    select(SearchDocument.ref_id, SearchDocument.rowid).where(
                        SearchDocument.source == source,
                        _ref_id_in(session, ref_ids[start : start + 1000]),
                    )
                )
                new_ids.update(((source, r), int(rowid)) for r, rowid in inserted.all())
        indexed.extend((new_ids[row["source"], row["ref_id"]], row) for row in fresh)
    elif rows:
        # A Core insert: the ORM's bulk insert of the same rows cost a phonebook import
        # 0.01 ms CPU a document more (7 % of its CPU).
        fresh = list(rows.values())
        result = await session.execute(
            insert(_documents).returning(_documents.c.rowid, sort_by_parameter_order=True), fresh
        )
        indexed.extend(zip((int(r) for r in result.scalars().all()), fresh, strict=True))
    if _is_sqlite(session):
        await _fts_add(session, indexed)
    else:
        await _pg_reindex(session, old, indexed)


async def drop(session: AsyncSession, source: str, ref_id: str) -> None:
    """Remove the document (source, ref_id) if it is indexed."""
    await drop_many(session, source, [ref_id])


async def drop_many(session: AsyncSession, source: str, ref_ids: Sequence[str]) -> None:
    """Remove a batch of documents of one source (those not indexed are ignored)."""
    for start in range(0, len(ref_ids), 500):
        chunk = ref_ids[start : start + 500]
        rows = await session.execute(
            select(*_INDEXED).where(SearchDocument.source == source, _ref_id_in(session, chunk))
        )
        await _remove(session, [_Indexed(int(r[0]), *r[1:]) for r in rows.all()])


async def drop_scope(session: AsyncSession, token: str) -> None:
    """Drop every document visible only through ``token`` (a deleted user's own things)."""
    rows = await session.execute(
        select(*_INDEXED).where(
            SearchDocument.scope.not_like("% %"), SearchDocument.scope.like(f"%{token}")
        )
    )
    await _remove(session, [_Indexed(int(r[0]), *r[1:]) for r in rows.all()])


async def _remove(session: AsyncSession, found: list[_Indexed]) -> None:
    if not found:
        return
    await _unindex(session, found)
    await session.execute(
        delete(SearchDocument).where(SearchDocument.rowid.in_([old.rowid for old in found]))
    )


def _fts_insert(table: str) -> Prepared:
    return Prepared(text(f"INSERT INTO {table}(rowid, words, scope) VALUES (:r, :w, :s)"))


_FTS_INSERTS = {table: _fts_insert(table) for table in ("search_fts", "search_chat_fts")}
_NUMBERS_INSERT = _fts_insert("search_numbers")


async def _fts_add(session: AsyncSession, indexed: list[tuple[int, dict[str, Any]]]) -> None:
    for table, statement in _FTS_INSERTS.items():
        mine = [
            {"r": r, "w": row["words"], "s": row["scope"]}
            for r, row in indexed
            if words_table(row["source"]) == table
        ]
        if mine:
            await statement.many(session, mine)
    numbered = [
        {"r": r, "w": " ".join(number_terms(row["digits"])), "s": row["scope"]}
        for r, row in indexed
        if row["digits"]
    ]
    if numbered:
        await _NUMBERS_INSERT.many(session, numbered)


async def _unindex(session: AsyncSession, old: Sequence[_Indexed]) -> None:
    """Take documents out of the word (and on SQLite digit) indexes, by what they hold."""
    if _is_sqlite(session):
        await _fts_remove(session, old)
        return
    await _pg_words(
        session,
        _PG_DELETE,
        [(o.rowid, _scope_set(o.scope), pg_terms(o.words, o.digits)) for o in old],
    )


async def _pg_reindex(
    session: AsyncSession, old: Sequence[_Indexed], indexed: list[tuple[int, dict[str, Any]]]
) -> None:
    """Bring ``search_words`` in step with documents just written: for a document that was
    indexed before (``old``, what it held) only the terms it lost are deleted and those it
    gained inserted (a changed phonebook entry mostly keeps its names and numbers: rewriting
    all its ~30 rows cost an import of changed cards more than everything else)."""
    before = {o.rowid: o for o in old}
    gone: list[tuple[int, frozenset[str], set[str]]] = []
    added: list[tuple[int, frozenset[str], set[str]]] = []
    for rowid, row in indexed:
        scopes, terms = _scope_set(row["scope"]), pg_terms(row["words"], row["digits"])
        was = before.get(rowid)
        if was is None:
            added.append((rowid, scopes, terms))
            continue
        old_scopes, old_terms = _scope_set(was.scope), pg_terms(was.words, was.digits)
        if old_scopes == scopes:
            gone.append((rowid, scopes, old_terms - terms))
            added.append((rowid, scopes, terms - old_terms))
        else:
            gone.append((rowid, old_scopes, old_terms))
            added.append((rowid, scopes, terms))
    await _pg_words(session, _PG_DELETE, gone)
    await _pg_words(session, _PG_INSERT, added)


def _scope_set(scope: str) -> frozenset[str]:
    return frozenset(scope.split())


# The (scope, word, rowid) rows of a batch of documents, from one array element per document:
# its id, its scope tokens and its terms, each list joined by spaces (no term holds one) and
# split again by PostgreSQL. Sent as three arrays of every row instead, the rows cost the
# import twice the CPU (the driver checks and encodes each element; the set of tuples).
_PG_ROWS = (
    "SELECT s, t, r FROM unnest(CAST(:rowids AS bigint[]), CAST(:scopes AS text[]), "
    "CAST(:terms AS text[])) AS d(r, scopes, terms), "
    "unnest(string_to_array(scopes, ' ')) AS s, unnest(string_to_array(terms, ' ')) AS t"
)
_PG_INSERT = "INSERT INTO search_words(scope, word, rowid) " + _PG_ROWS
_PG_DELETE = "DELETE FROM search_words WHERE (scope, word, rowid) IN (" + _PG_ROWS + ")"


def number_terms(digits: str) -> list[str]:
    """Every ending of 3 or more digits of a document's digit strings: digits anywhere in a
    number are the start of one of them, so a number query is a prefix query."""
    return list(
        dict.fromkeys(
            number[start:] for number in digits.split() for start in range(len(number) - 2)
        )
    )


def pg_terms(words_: str, digits: str) -> set[str]:
    """What PostgreSQL's ``search_words`` holds for a document: its words (cut to WORD_MAX)
    and its number endings marked with "#"."""
    terms = {word[:WORD_MAX] for word in words_.split()}
    terms.update("#" + ending for ending in number_terms(digits))
    return terms


async def _pg_words(
    session: AsyncSession,
    statement: str,
    documents: Iterable[tuple[int, frozenset[str], set[str]]],
) -> None:
    """Run ``statement`` over the ``search_words`` rows of (rowid, scope tokens, terms)
    documents: every scope token with every term."""
    rowids: list[int] = []
    scopes: list[str] = []
    terms: list[str] = []
    for rowid, tokens, words_ in documents:
        if tokens and words_:
            rowids.append(rowid)
            scopes.append(" ".join(tokens))
            terms.append(" ".join(words_))
    if rowids:
        await session.execute(text(statement), {"rowids": rowids, "scopes": scopes, "terms": terms})


async def _fts_remove(session: AsyncSession, old: Sequence[_Indexed]) -> None:
    for table in ("search_fts", "search_chat_fts"):
        mine = [
            {"r": o.rowid, "w": o.words, "s": o.scope}
            for o in old
            if words_table(o.source) == table
        ]
        if mine:
            await session.execute(
                text(
                    f"INSERT INTO {table}({table}, rowid, words, scope) "
                    "VALUES ('delete', :r, :w, :s)"
                ),
                mine,
            )
    numbered = [o.rowid for o in old if o.digits]
    if numbered:
        await session.execute(
            text("DELETE FROM search_numbers WHERE rowid IN (SELECT value FROM json_each(:r))"),
            {"r": json.dumps(numbered)},
        )
