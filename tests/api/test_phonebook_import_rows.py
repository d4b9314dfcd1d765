"""What an import stores reads back as what the same contact entered by hand does (BOOK-1):
on PostgreSQL an import writes its entries and numbers by COPY, past SQLAlchemy's types."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_phonebook_import import manager
from tests.harness import Server

SAME = ("display_name", "first_name", "last_name", "organisation", "email", "notes", "labels")


def comparable(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        **{key: entry[key] for key in SAME},
        "numbers": [(n["type"], n["number"], n["display"]) for n in entry["numbers"]],
    }


@pytest.mark.feature("BOOK-1")
async def test_imported_entries_read_back_like_entries_made_by_hand(server: Server) -> None:
    petra = await manager(server)
    made = await petra.create_phonebook_entry(
        "company",
        display_name="Jörg Ärger-Weiß",
        first_name="Jörg",
        last_name="Ärger-Weiß",
        organisation="Weiß & Söhne",
        email="joerg@example.com",
        numbers=[
            {"type": "work", "number": "030 1234567"},
            {"type": "mobile", "number": "+43 660 1234567"},
        ],
        notes="Zeile 1\nZeile 2; mit \\ und ✓",
        labels={"Kundennummer": "K-4711", "Größe": "XL ✓"},
    )
    exported = await petra.export_phonebook("company")
    result = await petra.import_phonebook("private", exported, "text/vcard")
    assert (result["imported"], result["updated"], result["errors"]) == (1, 0, [])
    [imported] = (await petra.phonebook_entries("private"))["entries"]
    assert comparable(imported) == comparable(made)
    assert imported["id"] != made["id"]
    assert imported["created_at"] == imported["updated_at"]
    assert imported["created_at"] >= made["created_at"]
    # and the import is found by a word, a label value and a number
    for query in ("ärger", "K-4711", "0660 123"):
        found = (await petra.request("GET", "/search", params={"q": query})).json()["results"]
        assert [r["title"] for r in found if r["source"] == "private-phonebook"] == [
            "Jörg Ärger-Weiß"
        ], query
