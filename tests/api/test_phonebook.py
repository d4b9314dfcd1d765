"""Phonebook entries, rights, caller-name resolution and favorites (BOOK-1…5, CONT-4)."""

from __future__ import annotations

from typing import Any

import pytest

from teamline.client import Client
from tests.harness import Server, expect_error

KOEHLER: dict[str, Any] = {
    "display_name": "Dr. Sabine Köhler",
    "first_name": "Sabine",
    "last_name": "Köhler",
    "organisation": "Praxis Köhler",
    "numbers": [
        {"type": "work", "number": "089 1234567"},
        {"type": "mobile", "number": "+49 (151) 2345-6789"},
    ],
    "email": "praxis@koehler.example",
    "notes": "Termine nur vormittags",
    "labels": {"Kundennummer": "K-4711"},
}


async def manager(server: Server, login: str = "petra") -> Client:
    return await server.signed_in(login, role="phonebook-manager")


@pytest.mark.feature("BOOK-5")
async def test_entry_has_all_fields_numbers_in_e164_and_national_form(server: Server) -> None:
    petra = await manager(server)
    max_ = await server.signed_in("max")
    created = await petra.create_phonebook_entry("company", **KOEHLER)
    assert created["book"] == "company"
    assert created["numbers"] == [
        {"type": "work", "number": "+49891234567", "display": "089 1234567"},
        {"type": "mobile", "number": "+4915123456789", "display": "01512 3456789"},
    ]
    assert created["labels"] == {"Kundennummer": "K-4711"}
    assert created["favorite"] is False
    seen = await max_.phonebook_entry("company", created["id"])
    assert seen == created
    for field in ("first_name", "last_name", "organisation", "email", "notes"):
        assert seen[field] == KOEHLER[field]


@pytest.mark.feature("BOOK-5")
async def test_display_name_is_derived_or_required(server: Server) -> None:
    max_ = await server.signed_in("max")
    derived = await max_.create_phonebook_entry("private", first_name="Anna", last_name="Berg")
    assert derived["display_name"] == "Anna Berg"
    error = await expect_error(
        max_.create_phonebook_entry("private", numbers=[{"type": "work", "number": "0301234567"}]),
        422,
        "invalid-input",
    )
    assert "display_name" in error.details
    await expect_error(
        max_.update_phonebook_entry(
            "private", derived["id"], display_name=None, first_name=None, last_name=None
        ),
        422,
        "invalid-input",
    )


@pytest.mark.feature("BOOK-5")
@pytest.mark.parametrize("number", ["12345", "+49 170", "not a number", "+999 123456789"])
async def test_invalid_numbers_are_refused_naming_the_field(server: Server, number: str) -> None:
    petra = await manager(server)
    error = await expect_error(
        petra.create_phonebook_entry(
            "company", display_name="X", numbers=[{"type": "work", "number": number}]
        ),
        422,
        "invalid-input",
    )
    assert "numbers" in error.details
    entry = await petra.create_phonebook_entry("company", display_name="Y")
    await expect_error(
        petra.update_phonebook_entry(
            "company", entry["id"], numbers=[{"type": "mobile", "number": number}]
        ),
        422,
        "invalid-input",
    )
    assert (await petra.phonebook_entry("company", entry["id"]))["numbers"] == []
    untyped = await petra.update_phonebook_entry(
        "company", entry["id"], numbers=[{"number": "030 1234567"}]
    )
    assert untyped["numbers"][0]["type"] == "work"


@pytest.mark.feature("BOOK-5")
async def test_bad_fields_are_refused(server: Server) -> None:
    max_ = await server.signed_in("max")
    for fields in (
        {"display_name": "X", "email": "no-at-sign"},
        {"display_name": "X", "numbers": [{"type": "pager", "number": "0301234567"}]},
        {"display_name": "X", "colour": "red"},
        {"display_name": "x" * 201},
    ):
        await expect_error(max_.create_phonebook_entry("private", **fields), 422, "invalid-input")
    await expect_error(max_.phonebook_entries("shared"), 422, "invalid-input")


@pytest.mark.feature("BOOK-1")
async def test_managers_and_admins_change_the_company_book_others_only_read(
    server: Server,
) -> None:
    petra = await manager(server)
    admin = await server.signed_in("root", role="admin")
    max_ = await server.signed_in("max")
    entry = await petra.create_phonebook_entry("company", **KOEHLER)
    other = await admin.create_phonebook_entry("company", display_name="Hotel Sonnenhof")
    await admin.update_phonebook_entry("company", entry["id"], notes="neu")
    await expect_error(
        max_.create_phonebook_entry("company", display_name="Nope"), 403, "forbidden"
    )
    await expect_error(
        max_.update_phonebook_entry("company", entry["id"], notes="x"), 403, "forbidden"
    )
    await expect_error(max_.delete_phonebook_entry("company", entry["id"]), 403, "forbidden")
    await expect_error(
        max_.import_phonebook("company", b"display_name\nA\n", "text/csv"), 403, "forbidden"
    )
    listed = await max_.phonebook_entries("company")
    assert listed["total"] == 2
    assert [e["display_name"] for e in listed["entries"]] == [
        "Dr. Sabine Köhler",
        "Hotel Sonnenhof",
    ]
    assert listed["entries"][0]["notes"] == "neu"
    await petra.delete_phonebook_entry("company", other["id"])
    await expect_error(max_.phonebook_entry("company", other["id"]), 404, "not-found")


@pytest.mark.feature("BOOK-1")
async def test_company_changes_reach_every_user(server: Server) -> None:
    petra = await manager(server)
    max_ = await server.signed_in("max")
    async with max_.events() as watcher:
        entry = await petra.create_phonebook_entry("company", display_name="Müller GmbH")
        created = await watcher.wait_for("phonebook.changed")
        assert created["data"] == {"book": "company", "id": entry["id"]}
        await petra.delete_phonebook_entry("company", entry["id"])
        deleted = await watcher.wait_for("phonebook.changed")
        assert deleted["data"] == {"book": "company", "id": entry["id"], "deleted": True}


@pytest.mark.feature("BOOK-2")
async def test_private_book_create_edit_delete_seen_only_by_owner(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    async with max_.events() as mine, erika.events() as hers:
        entry = await max_.create_phonebook_entry("private", display_name="Zahnarzt Weiß")
        assert (await mine.wait_for("phonebook.changed"))["data"]["book"] == "private"
        changed = await max_.update_phonebook_entry(
            "private",
            entry["id"],
            organisation="Praxis Weiß",
            numbers=[{"type": "work", "number": "030 2345678"}],
        )
        assert changed["organisation"] == "Praxis Weiß"
        assert changed["numbers"][0]["number"] == "+49302345678"
        assert [e for e in await hers.drain() if e["type"].startswith("phonebook")] == []
    assert (await erika.phonebook_entries("private"))["total"] == 0
    assert (await max_.phonebook_entries("private"))["total"] == 1
    for call in (
        erika.phonebook_entry("private", entry["id"]),
        erika.update_phonebook_entry("private", entry["id"], notes="mine now"),
        erika.delete_phonebook_entry("private", entry["id"]),
        erika.add_favorite("phonebook-entry", entry["id"]),
        erika.remove_favorite("phonebook-entry", entry["id"]),
        # nor through the company path
        erika.phonebook_entry("company", entry["id"]),
        max_.phonebook_entry("company", entry["id"]),
    ):
        await expect_error(call, 404, "not-found")
    await max_.delete_phonebook_entry("private", entry["id"])
    await expect_error(max_.phonebook_entry("private", entry["id"]), 404, "not-found")


@pytest.mark.feature("BOOK-2")
async def test_private_export_does_not_include_others_entries(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    await max_.create_phonebook_entry("private", display_name="Geheim Gustav")
    assert b"Gustav" not in await erika.export_phonebook("private")
    assert b"Gustav" in await max_.export_phonebook("private")


@pytest.mark.feature("BOOK-1")
async def test_list_filters_sorts_and_pages(server: Server) -> None:
    petra = await manager(server)
    for name, org in (("Zeta", "Alpha AG"), ("beta", None), ("Alpha", None), ("Gamma", "Beta KG")):
        await petra.create_phonebook_entry("company", display_name=name, organisation=org)
    listed = await petra.phonebook_entries("company")
    assert [e["display_name"] for e in listed["entries"]] == ["Alpha", "beta", "Gamma", "Zeta"]
    page = await petra.phonebook_entries("company", limit=2, offset=1)
    assert [e["display_name"] for e in page["entries"]] == ["beta", "Gamma"]
    assert page["total"] == 4
    found = await petra.phonebook_entries("company", q="BETA")
    assert [e["display_name"] for e in found["entries"]] == ["beta", "Gamma"]
    assert found["total"] == 2


# -- caller-name resolution (BOOK-3) -------------------------------------------------------
@pytest.mark.feature("BOOK-3")
async def test_resolution_order_users_then_private_then_company(server: Server) -> None:
    petra = await manager(server)
    max_ = await server.signed_in("max")
    erika = await server.create_user("erika", extension="201", mobile_number="0170 1234567")
    company = await petra.create_phonebook_entry(
        "company",
        display_name="Müller GmbH",
        numbers=[
            {"type": "work", "number": "030 1234567"},
            {"type": "mobile", "number": "0170 1234567"},
            {"type": "work", "number": "040 1234567"},
        ],
    )
    private = await max_.create_phonebook_entry(
        "private",
        display_name="Herr Müller (privat)",
        numbers=[{"type": "home", "number": "+49 30 1234567"}],
    )
    by_ext = await max_.resolve_number("201")
    assert by_ext == {
        "name": "Erika",
        "source": "user",
        "ref_id": erika["id"],
        "number_e164": "201",
    }
    by_mobile = await max_.resolve_number("0170 1234567")
    assert (by_mobile["source"], by_mobile["ref_id"]) == ("user", erika["id"])
    mine = await max_.resolve_number("030 1234567")
    assert mine == {
        "name": "Herr Müller (privat)",
        "source": "private-phonebook",
        "ref_id": private["id"],
        "number_e164": "+49301234567",
    }
    # the same number for someone else: max's private names are not shown to them
    theirs = await petra.resolve_number("030 1234567")
    assert (theirs["source"], theirs["ref_id"]) == ("company-phonebook", company["id"])
    only_company = await max_.resolve_number("040 1234567")
    assert only_company["source"] == "company-phonebook"
    await expect_error(max_.resolve_number("089 999999"), 404, "not-found")
    await expect_error(max_.resolve_number("202"), 404, "not-found")


@pytest.mark.feature("BOOK-3")
@pytest.mark.parametrize(
    "written",
    [
        "+49301234567",
        "030 1234567",
        "030-123 45 67",
        "(030) 123-4567",
        "0049 30 1234567",
        "+49 (0)30 1234567",
        "+49 30 / 1234567",
        "tel:+49-30-1234567",
    ],
)
async def test_resolution_tolerates_formats(server: Server, written: str) -> None:
    max_ = await server.signed_in("max")
    entry = await max_.create_phonebook_entry(
        "private", display_name="Anna", numbers=[{"type": "work", "number": "+49 30 1234567"}]
    )
    found = await max_.resolve_number(written)
    assert (found["ref_id"], found["number_e164"]) == (entry["id"], "+49301234567")


@pytest.mark.feature("BOOK-3")
async def test_resolve_function_for_the_journal(server: Server) -> None:
    from teamline.phonebook.resolve import resolve

    max_ = await server.signed_in("max")
    me = await max_.me()
    entry = await max_.create_phonebook_entry(
        "private", display_name="Anna", numbers=[{"type": "mobile", "number": "0160 1234567"}]
    )
    async with server.container.db.read() as session:
        found = await resolve(session, "0049 160 1234567", me["id"], "DE")
        missing = await resolve(session, "0049 160 1234567", "someone-else", "DE")
        junk = await resolve(session, "anonymous", me["id"], "DE")
    assert found is not None
    assert (found.name, found.source, found.ref_id, found.number_e164) == (
        "Anna",
        "private-phonebook",
        entry["id"],
        "+491601234567",
    )
    assert missing is None
    assert junk is None


# -- favorites (BOOK-4, CONT-4) ------------------------------------------------------------
@pytest.mark.feature("BOOK-4")
async def test_favorite_entries_and_colleagues_idempotent_with_events(server: Server) -> None:
    petra = await manager(server)
    max_ = await server.signed_in("max")
    erika = await server.create_user("erika")
    company = await petra.create_phonebook_entry("company", display_name="Hotel Sonnenhof")
    private = await max_.create_phonebook_entry("private", display_name="Oma")
    async with max_.events() as watcher:
        for _ in range(2):
            await max_.add_favorite("phonebook-entry", company["id"])
            await max_.add_favorite("user", erika["id"])
            await max_.add_favorite("phonebook-entry", private["id"])
        changes = [e["data"] for e in await watcher.drain(0.5) if e["type"] == "favorites.changed"]
    assert changes == [
        {"kind": "phonebook-entry", "id": company["id"], "favorite": True},
        {"kind": "user", "id": erika["id"], "favorite": True},
        {"kind": "phonebook-entry", "id": private["id"], "favorite": True},
    ]
    assert await max_.favorites() == [
        {"kind": "phonebook-entry", "id": company["id"]},
        {"kind": "user", "id": erika["id"]},
        {"kind": "phonebook-entry", "id": private["id"]},
    ]
    assert (await max_.phonebook_entry("company", company["id"]))["favorite"] is True
    assert (await max_.phonebook_entries("private"))["entries"][0]["favorite"] is True
    # a star is personal
    assert (await petra.phonebook_entry("company", company["id"]))["favorite"] is False
    assert await petra.favorites() == []
    async with max_.events() as watcher:
        await max_.remove_favorite("user", erika["id"])
        await max_.remove_favorite("user", erika["id"])
        changes = [e["data"] for e in await watcher.drain(0.5) if e["type"] == "favorites.changed"]
    assert changes == [{"kind": "user", "id": erika["id"], "favorite": False}]
    # deleting the entry removes the star and tells the user
    async with max_.events() as watcher:
        await petra.delete_phonebook_entry("company", company["id"])
        gone = await watcher.wait_for("favorites.changed")
    assert gone["data"] == {"kind": "phonebook-entry", "id": company["id"], "favorite": False}
    assert await max_.favorites() == [{"kind": "phonebook-entry", "id": private["id"]}]


@pytest.mark.feature("CONT-4")
async def test_favorite_targets_must_exist(server: Server) -> None:
    max_ = await server.signed_in("max")
    for kind, target in (("user", "nobody"), ("phonebook-entry", "nothing")):
        await expect_error(max_.add_favorite(kind, target), 404, "not-found")
        await expect_error(max_.remove_favorite(kind, target), 404, "not-found")
    await expect_error(max_.add_favorite("team", "x"), 422, "invalid-input")
    gone = await server.create_user("gone")
    await max_.add_favorite("user", gone["id"])
    admin = await server.signed_in("root", role="admin")
    await admin.admin_update_user(gone["id"], disabled=True)
    assert await max_.favorites() == []
    await expect_error(max_.add_favorite("user", gone["id"]), 404, "not-found")
