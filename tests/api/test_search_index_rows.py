"""The search index's own rows after imports, re-imports and changes (BOOK-1, SRCH-1).

``put_many`` writes only the terms a changed document gained and deletes only those it lost;
whatever the path, the index must hold exactly what a document's stored words, digits and
scope give: on PostgreSQL the rows of migration 0007's statement, on SQLite the FTS5 tables'
integrity check and the digit endings of ``search_numbers``.
"""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import text

from teamline.core.db import Database
from teamline.search.index import Document, drop, number_terms, put_many
from tests.api.test_phonebook_import import manager, titles, vcard
from tests.harness import Server

TERMS = importlib.import_module("teamline.migrations.versions.0007_search_words_table").TERMS


async def assert_index_holds_the_documents(db: Database) -> None:
    async with db.write() as session:
        if db.is_sqlite:
            # Compared with every document row: right while none is a chat message (those
            # are in search_chat_fts, over the same rows).
            await session.execute(
                text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            )
            held = await session.execute(text("SELECT rowid, words, scope FROM search_numbers"))
            stored = await session.execute(
                text("SELECT rowid, digits, scope FROM search_documents WHERE digits <> ''")
            )
            expected = [(r, " ".join(number_terms(d)), s) for r, d, s in stored.all()]
        else:
            held = await session.execute(text("SELECT scope, word, rowid FROM search_words"))
            expected = list((await session.execute(text(TERMS))).all())
        assert sorted(map(tuple, held.all())) == sorted(map(tuple, expected))


@pytest.mark.feature("BOOK-1", "SRCH-1")
async def test_reimports_and_changes_keep_exactly_the_documents_rows(server: Server) -> None:
    petra = await manager(server)
    erika = await server.signed_in("erika")
    db = server.container.db
    first = vcard("a", "Anna Alt", "030 1111111", "0170 2222222", note="Kundin seit Mai")
    first += vcard("b", "Bernd Gleich", "030 3333333", note="Gleich bleibt gleich")
    first += vcard("c", "Carl Kurz", "030 5555555")
    await petra.import_phonebook("company", first.encode(), "text/vcard")
    await assert_index_holds_the_documents(db)
    # Anna: a word and a number lost, others gained; Bernd unchanged; Carl: a number added
    second = vcard("a", "Anna Alt", "0170 2222222", "089 7777777", note="Kundin seit Juni")
    second += vcard("b", "Bernd Gleich", "030 3333333", note="Gleich bleibt gleich")
    second += vcard("c", "Carl Kurz", "030 5555555", "030 5555556")
    result = await petra.import_phonebook("company", second.encode(), "text/vcard")
    assert result == {"imported": 0, "updated": 3, "errors": []}
    await assert_index_holds_the_documents(db)
    assert await titles(erika, "Mai") == []
    assert await titles(erika, "juni") == ["Anna Alt"]
    assert await titles(erika, "030 1111111") == []
    assert await titles(erika, "089 777") == ["Anna Alt"]
    assert await titles(erika, "0170 2222222") == ["Anna Alt"]
    assert await titles(erika, "5555556") == ["Carl Kurz"]

    # A document whose scope changes loses its rows under the old token, even for the
    # terms it keeps; one whose words all change keeps none of the old ones.
    def colleague(scope: list[str], title: str) -> Document:
        return Document(
            source="contact", ref_id="z1", scope=scope, title=title, numbers=["+49301234567"]
        )

    async with db.write() as session:
        await put_many(session, [colleague(["all"], "Zora Zander")])
    await assert_index_holds_the_documents(db)
    async with db.write() as session:
        await put_many(session, [colleague(["c1", "c2"], "Zora Zander")])
    await assert_index_holds_the_documents(db)
    async with db.write() as session:
        await put_many(session, [colleague(["c1", "c2"], "Yvonne Ypsilon")])
    await assert_index_holds_the_documents(db)
    assert await titles(erika, "zora") == []
    async with db.write() as session:
        await drop(session, "contact", "z1")
    await assert_index_holds_the_documents(db)


@pytest.mark.feature("BOOK-1", "SRCH-1")
async def test_search_text_from_the_parsing_process_is_what_the_writer_computes(
    server: Server,
) -> None:
    """A big file's pieces are parsed (and their search text computed) by another process;
    the same file read whole, into another book, must give the same words and digits."""
    petra = await manager(server)
    body = "".join(
        vcard(f"p{i}", f"Jürgen Groß-Müller {i}", f"030 12345{i:02}", "+43 660 1234567", note=n)
        for i, n in enumerate(["Kundin seit Mai", "O'Neill & Söhne", "", "Zoë ✓ 4711"])
    )
    whole = await petra.import_phonebook("private", body.encode(), "text/vcard")
    server.container.phonebook.parse_piece_cards = 2
    pieces = await petra.import_phonebook("company", body.encode(), "text/vcard")
    assert whole["imported"] == pieces["imported"] == 4
    async with server.container.db.read() as session:
        stored = (
            await session.execute(
                text("SELECT source, title, words, digits FROM search_documents ORDER BY title")
            )
        ).all()
    by_source = {
        source: [(t, w, d) for s, t, w, d in stored if s == source]
        for source in ("private-phonebook", "company-phonebook")
    }
    assert len(by_source["company-phonebook"]) == 4
    assert by_source["company-phonebook"] == by_source["private-phonebook"]
    await assert_index_holds_the_documents(server.container.db)


@pytest.mark.feature("BOOK-1", "SRCH-1")
async def test_changed_cards_after_unchanged_ones_are_indexed(server: Server) -> None:
    """Once a re-import's first pieces turn out unchanged, the parsing process stops
    computing search text; the changed cards after them get theirs from the writer."""
    petra = await manager(server)
    erika = await server.signed_in("erika")
    server.container.phonebook.parse_piece_cards = 2

    def book(later: str) -> bytes:
        cards = [vcard(f"u{i}", f"Udo Unverändert {i}", f"030 55500{i:02}") for i in range(4)]
        cards += [
            vcard(f"c{i}", f"Clara Changed {i}", f"089 44400{i:02}", note=f"{later} {i}")
            for i in range(6)
        ]
        return "".join(cards).encode()

    await petra.import_phonebook("company", book("Apfel"), "text/vcard")
    result = await petra.import_phonebook("company", book("Birne"), "text/vcard")
    assert (result["imported"], result["updated"]) == (0, 10)
    await assert_index_holds_the_documents(server.container.db)
    assert await titles(erika, "apfel") == []
    assert sorted(await titles(erika, "birne")) == [f"Clara Changed {i}" for i in range(6)]
    assert await titles(erika, "089 4440005") == ["Clara Changed 5"]
