"""Phonebook import and export: CSV and vCard files as real programs write them (BOOK-1, BOOK-2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from teamline.client import Client
from teamline.phonebook.importing import read_file
from tests.harness import Server, expect_error

DATA = Path(__file__).parent.parent / "data"
VCARDS = DATA / "vcards"


async def manager(server: Server) -> Client:
    return await server.signed_in("petra", role="phonebook-manager")


def by_name(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["display_name"]: e for e in entries}


def numbers(entry: dict[str, Any]) -> list[tuple[str, str]]:
    return [(n["type"], n["number"]) for n in entry["numbers"]]


# What each real-world file must give: name → (organisation, typed numbers, e-mail)
EXPECTED: dict[str, dict[str, tuple[str | None, list[tuple[str, str]], str | None]]] = {
    "apple-contacts.vcf": {
        "Jürgen Größer": (
            "Bäckerei Größer GmbH",
            [
                ("mobile", "+491701234567"),
                ("work", "+498912345678"),
                ("work", "+493023456789"),
                ("fax", "+498912345679"),
            ],
            "juergen@baeckerei-groesser.example",
        ),
        "Ayşe Öztürk": (
            "Praxis Dr. Öztürk",
            [("mobile", "+491601234567"), ("home", "+49401234567")],
            "ayse.oeztuerk@example.de",
        ),
    },
    "google-contacts.vcf": {
        "Sören Weiß": (
            "Weiß & Söhne KG",
            [("mobile", "+4915123456789"), ("work", "+49407654321"), ("home", "+49402345678")],
            "soeren.weiss@gmail.example",
        ),
        "Zoë Schäfer": (
            None,
            [("mobile", "+4915201234567"), ("work", "+496221123456"), ("work", "+4315123456")],
            "zoe.schaefer@example.at",
        ),
    },
    "outlook-2.1.vcf": {
        "Jörg Hübner": (
            "Hübner Elektrotechnik, Kundendienst",
            [("work", "+49221123456"), ("mobile", "+491712345678"), ("fax", "+492211234567")],
            "j.huebner@huebner-elektro.example",
        ),
        "Bärbel Straßer": (
            "Straßer & Töchter Immobilien",
            [("home", "+495117654321"), ("mobile", "+491601234567")],
            "b.strasser@example.de",
        ),
    },
    "nextcloud-4.0.vcf": {
        "Ännchen Schröder": (
            "Schröder Logistik",
            [
                ("work", "+495111234567"),
                ("mobile", "+491607654321"),
                ("home", "+495112345678"),
                ("fax", "+495111234568"),
            ],
            "a.schroeder@schroeder-logistik.example",
        ),
        "Dr. Björn Kühne": (
            "Kühne Zahnmedizin",
            [("work", "+49309876543"), ("mobile", "+491719876543")],
            "bjoern@kuehne.example",
        ),
    },
}
NOTES = {
    "Jürgen Größer": "Liefert dienstags und freitags vor 7 Uhr. Bei Rückfragen zur Bestellung "
    "bitte zuerst die Backstube anrufen, dann das Büro.",
    "Jörg Hübner": "Ansprechpartner für Wartungsverträge.\nRückruf bitte vormittags, nicht nach "
    "16 Uhr.",
    "Ännchen Schröder": "Lagerhalle Süd, Tor 3. Anlieferung nur nach Voranmeldung über das Büro "
    "– Öffnungszeiten Mo–Fr 7–15 Uhr.",
}


@pytest.mark.feature("BOOK-1")
@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_real_world_vcards_import_and_reimport_updates(server: Server, name: str) -> None:
    petra = await manager(server)
    body = (VCARDS / name).read_bytes()
    first = await petra.import_phonebook("company", body, "text/vcard")
    assert first == {"imported": 2, "updated": 0, "errors": []}
    entries = by_name((await petra.phonebook_entries("company"))["entries"])
    assert set(entries) == set(EXPECTED[name])
    for display_name, (organisation, typed, email) in EXPECTED[name].items():
        entry = entries[display_name]
        assert (entry["organisation"], numbers(entry), entry["email"]) == (
            organisation,
            typed,
            email,
        )
        if display_name in NOTES:
            assert entry["notes"] == NOTES[display_name]
    again = await petra.import_phonebook("company", body, "text/x-vcard")
    assert again == {"imported": 0, "updated": 2, "errors": []}
    assert (await petra.phonebook_entries("company"))["total"] == 2


@pytest.mark.feature("BOOK-1")
async def test_outlook_csv_german_semicolon_cp1252(server: Server) -> None:
    petra = await manager(server)
    body = (DATA / "csv" / "outlook-de.csv").read_bytes()
    body.decode("cp1252")  # the file is what Outlook writes: not UTF-8
    result = await petra.import_phonebook("company", body, "text/csv")
    assert result == {"imported": 3, "updated": 0, "errors": []}
    entries = by_name((await petra.phonebook_entries("company"))["entries"])
    maier = entries["Günther Maier"]
    assert (maier["first_name"], maier["last_name"], maier["organisation"]) == (
        "Günther",
        "Maier",
        "Maier Sanitär GmbH",
    )
    assert numbers(maier) == [
        ("fax", "+497111234568"),
        ("work", "+497111234567"),
        ("mobile", "+491723456789"),
    ]
    assert maier["notes"] == "Notdienst auch am Wochenende.\nSchlüssel liegt beim Pförtner."
    assert numbers(entries["Käthe Lößner"]) == [
        ("home", "+498987654321"),
        ("mobile", "+4915123456789"),
    ]
    assert entries["Stadtwerke Süd"]["organisation"] == "Stadtwerke Süd"
    again = await petra.import_phonebook("company", body, "text/csv; charset=windows-1252")
    assert again == {"imported": 0, "updated": 3, "errors": []}


@pytest.mark.feature("BOOK-1")
async def test_csv_with_our_columns_and_outlook_english_header(server: Server) -> None:
    petra = await manager(server)
    ours = (
        "\ufeffdisplay_name,first_name,last_name,organisation,work,mobile,home,fax,email,notes\r\n"
        "Müller GmbH,,,Müller GmbH,030 1234567,,,030 1234568,info@mueller.example,\r\n"
        ',Anna,Berg,,,"0170 1234567",,,,"Notiz, mit Komma"\r\n'
    ).encode()
    assert await petra.import_phonebook("company", ours, "text/csv") == {
        "imported": 2,
        "updated": 0,
        "errors": [],
    }
    outlook = (
        b"First Name,Last Name,Company,Business Phone,Mobile Phone,Home Phone,Business Fax,"
        b"E-mail Address,Notes\r\n"
        b"John,Smith,Acme Ltd,+44 20 7946 0958,,,,john@acme.example,\r\n"
    )
    assert (await petra.import_phonebook("company", outlook, "text/csv"))["imported"] == 1
    entries = by_name((await petra.phonebook_entries("company"))["entries"])
    assert numbers(entries["Müller GmbH"]) == [("work", "+49301234567"), ("fax", "+49301234568")]
    assert entries["Anna Berg"]["notes"] == "Notiz, mit Komma"
    assert numbers(entries["John Smith"]) == [("work", "+442079460958")]
    assert entries["John Smith"]["numbers"][0]["display"] == "+44 20 7946 0958"
    # same again: updates, no duplicates
    result = await petra.import_phonebook("company", ours, "text/csv")
    assert (result["imported"], result["updated"]) == (0, 2)
    assert (await petra.phonebook_entries("company"))["total"] == 3


@pytest.mark.feature("BOOK-1")
async def test_malformed_csv_rows_are_reported_with_line_numbers(server: Server) -> None:
    petra = await manager(server)
    body = (
        b"display_name;work;notes\n"  # 1
        b"Gut Eins;030 1234567;\n"  # 2
        b"Falsche Nummer;12345;\n"  # 3
        b'Mehrzeilig;030 2345678;"Zeile eins\n'  # 4
        b'Zeile zwei"\n'  # 5
        b";;nur eine Notiz\n"  # 6: no name
        b"Zu viele;030 3456789;x;y\n"  # 7
        b"\n"  # 8: empty, skipped
        b"Gut Zwei;+49 40 1234567;\n"  # 9
    )
    result = await petra.import_phonebook("company", body, "text/csv")
    assert (result["imported"], result["updated"]) == (3, 0)
    assert [e["line"] for e in result["errors"]] == [3, 6, 7]
    assert "12345" in result["errors"][0]["message"]
    assert "display name" in result["errors"][1]["message"]
    names = [e["display_name"] for e in (await petra.phonebook_entries("company"))["entries"]]
    assert names == ["Gut Eins", "Gut Zwei", "Mehrzeilig"]


@pytest.mark.feature("BOOK-1")
async def test_csv_without_a_known_header_is_refused(server: Server) -> None:
    petra = await manager(server)
    await expect_error(
        petra.import_phonebook("company", b"foo,bar\n1,2\n", "text/csv"), 422, "invalid-input"
    )
    await expect_error(petra.import_phonebook("company", b"", "text/csv"), 422, "invalid-input")


@pytest.mark.feature("BOOK-1")
async def test_malformed_vcards_are_reported_where_they_begin(server: Server) -> None:
    petra = await manager(server)
    body = (
        b"BEGIN:VCARD\r\n"  # 1
        b"VERSION:3.0\r\n"
        b"FN:Gut Eins\r\n"
        b"TEL;TYPE=WORK:030 1234567\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\n"  # 6: a bad number
        b"VERSION:3.0\r\n"
        b"FN:Falsche Nummer\r\n"
        b"TEL:12345\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\n"  # 11: no name at all
        b"VERSION:3.0\r\n"
        b"TEL:030 2345678\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\n"  # 15: a line that is no property
        b"VERSION:3.0\r\n"
        b"FN:Kaputt\r\n"
        b"das ist keine Eigenschaft\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\n"  # 20: not ended before the next card
        b"VERSION:3.0\r\n"
        b"FN:Ohne Ende\r\n"
        b"BEGIN:VCARD\r\n"  # 23
        b"VERSION:3.0\r\n"
        b"FN:Gut Zwei\r\n"
        b"END:VCARD\r\n"
    )
    result = await petra.import_phonebook("company", body, "text/vcard")
    assert (result["imported"], result["updated"]) == (2, 0)
    assert [e["line"] for e in result["errors"]] == [6, 11, 15, 20]
    assert all(e["message"] for e in result["errors"])
    names = [e["display_name"] for e in (await petra.phonebook_entries("company"))["entries"]]
    assert names == ["Gut Eins", "Gut Zwei"]


@pytest.mark.feature("BOOK-1")
async def test_vcards_without_uid_match_by_name_and_numbers(server: Server) -> None:
    petra = await manager(server)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL:{tel}\r\nNOTE:{note}\r\nEND:VCARD\r\n"
    first = card.format(name="Anna Berg", tel="030 1234567", note="eins")
    assert (await petra.import_phonebook("company", first.encode()))["imported"] == 1
    # the same person written differently: case, spacing, number format
    same = card.format(name="anna  BERG", tel="+49 (30) 123-4567", note="zwei")
    result = await petra.import_phonebook("company", same.encode(), "text/vcard")
    assert (result["imported"], result["updated"]) == (0, 1)
    entries = (await petra.phonebook_entries("company"))["entries"]
    assert [(e["display_name"], e["notes"]) for e in entries] == [("anna  BERG", "zwei")]
    # another number: another contact
    other = card.format(name="Anna Berg", tel="030 7654321", note="drei")
    assert (await petra.import_phonebook("company", other.encode(), "text/vcard"))["imported"] == 1


def vcard(uid: str, name: str, *tels: str, note: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}"]
    lines += [f"TEL;TYPE=WORK:{tel}" for tel in tels]
    lines += [f"NOTE:{note}"] if note else []
    return "\r\n".join([*lines, "END:VCARD", ""])


async def titles(client: Client, query: str) -> list[str]:
    found = (await client.request("GET", "/search", params={"q": query})).json()["results"]
    return [r["title"] for r in found]


@pytest.mark.feature("BOOK-1")
async def test_reimport_rewrites_changed_cards_only_and_keeps_search_in_step(
    server: Server,
) -> None:
    petra = await manager(server)
    erika = await server.signed_in("erika")
    first = vcard("a", "Anna Alt", "030 1111111", "0170 2222222", note="Kundin seit Mai")
    first += vcard("b", "Bernd Gleich", "030 3333333")
    assert await petra.import_phonebook("company", first.encode(), "text/vcard") == {
        "imported": 2,
        "updated": 0,
        "errors": [],
    }
    before = by_name((await petra.phonebook_entries("company"))["entries"])
    # Anna changed (name, one number fewer, another note), Bernd not; Carl twice in one file
    second = vcard("a", "Anna Neu", "0170 4444444", note="Lieferantin")
    second += vcard("b", "Bernd Gleich", "030 3333333")
    second += vcard("c", "Carl Doppelt", "030 5555555", note="erste Karte")
    second += vcard("c", "Carl Doppelt", "030 5555555", "0170 6666666", note="zweite Karte")
    result = await petra.import_phonebook("company", second.encode(), "text/vcard")
    # ``updated`` counts every card that matched an entry, changed or not
    assert result == {"imported": 1, "updated": 3, "errors": []}
    after = by_name((await petra.phonebook_entries("company"))["entries"])
    assert set(after) == {"Anna Neu", "Bernd Gleich", "Carl Doppelt"}
    anna = after["Anna Neu"]
    assert anna["id"] == before["Anna Alt"]["id"]
    assert (numbers(anna), anna["notes"]) == ([("work", "+491704444444")], "Lieferantin")
    assert anna["updated_at"] > before["Anna Alt"]["updated_at"]
    assert after["Bernd Gleich"] == before["Bernd Gleich"]  # not rewritten
    carl = after["Carl Doppelt"]
    assert (numbers(carl), carl["notes"]) == (
        [("work", "+49305555555"), ("work", "+491706666666")],
        "zweite Karte",
    )
    assert "Anna Neu" in await titles(erika, "Lieferantin")
    assert await titles(erika, "Kundin") == []
    assert await titles(erika, "030 1111111") == []
    assert "Anna Neu" in await titles(erika, "0170 4444444")
    assert "Carl Doppelt" in await titles(erika, "0170 6666666")


@pytest.mark.feature("BOOK-1")
async def test_big_vcard_file_parsed_in_pieces_gives_the_same_result(server: Server) -> None:
    petra = await manager(server)
    server.container.phonebook.parse_piece_cards = 2  # a process parses pieces of 2 cards
    body = "".join(vcard(f"p{i}", f"Person {i}", f"030 12345{i:02}") for i in range(7))
    body = body.replace("FN:Person 4", "FN:Person 4\r\nTEL:keine Nummer")
    body += "Zeilen ohne Karte\r\n" + vcard("p7", "Person 7", "030 1234507")
    result = await petra.import_phonebook("company", body.encode(), "text/vcard")
    assert result["imported"] == 7
    assert [e["line"] for e in result["errors"]] == [25, 44]  # Person 4's BEGIN, stray text
    whole = read_file(body.encode(), "text/vcard", "DE")  # what one piece gives
    assert result["errors"] == [p.model_dump() for p in whole.problems]
    again = await petra.import_phonebook("company", body.encode(), "text/vcard")
    assert (again["imported"], again["updated"], len(again["errors"])) == (0, 7, 2)
    entries = by_name((await petra.phonebook_entries("company"))["entries"])
    assert numbers(entries["Person 6"]) == [("work", "+49301234506")]
    assert "Person 4" not in entries


@pytest.mark.feature("BOOK-1")
async def test_export_reimports_without_duplicates(server: Server) -> None:
    petra = await manager(server)
    await petra.import_phonebook("company", (VCARDS / "outlook-2.1.vcf").read_bytes(), "text/vcard")
    made = await petra.create_phonebook_entry(
        "company",
        display_name="Müller; Söhne, Partner",
        numbers=[{"type": "work", "number": "030 1234567"}],
        notes="Zeile 1\nZeile 2, mit Komma; und Semikolon \\ Backslash " + "lang " * 30,
        labels={"Kundennummer": "K-4711"},
    )
    before = (await petra.phonebook_entries("company"))["entries"]
    exported = await petra.export_phonebook("company")
    assert exported.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert f"UID:{made['id']}".encode() in exported
    assert max(len(line) for line in exported.split(b"\r\n")) <= 75
    result = await petra.import_phonebook("company", exported, "text/vcard")
    assert result == {"imported": 0, "updated": 3, "errors": []}
    after = (await petra.phonebook_entries("company"))["entries"]
    strip = ("updated_at",)
    assert [{k: v for k, v in e.items() if k not in strip} for e in after] == [
        {k: v for k, v in e.items() if k not in strip} for e in before
    ]
    # the export also goes into another user's private book, as new entries there
    max_ = await server.signed_in("max")
    mine = await max_.import_phonebook("private", exported, "text/vcard")
    assert (mine["imported"], mine["updated"]) == (3, 0)


@pytest.mark.feature("BOOK-1")
async def test_content_type_sniffing_and_unsupported_types(server: Server) -> None:
    petra = await manager(server)
    body = (VCARDS / "google-contacts.vcf").read_bytes()
    result = await petra.import_phonebook("company", body, "application/octet-stream")
    assert result["imported"] == 2
    await expect_error(
        petra.import_phonebook("company", b"\x89PNG....", "image/png"),
        415,
        "unsupported-file-type",
    )


@pytest.mark.feature("BOOK-1")
async def test_oversize_import_is_refused(server: Server) -> None:
    petra = await manager(server)
    assert server.container.phonebook.import_max_bytes == 50 * 1024 * 1024
    server.container.phonebook.import_max_bytes = 4096
    body = (VCARDS / "apple-contacts.vcf").read_bytes() * 3
    assert len(body) > 4096
    await expect_error(petra.import_phonebook("company", body, "text/vcard"), 413, "file-too-large")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the stream is counted
        for _ in range(10):
            yield b"x" * 1000

    await expect_error(
        petra.request(
            "POST",
            "/phonebooks/company/import",
            content=chunks(),
            headers={"Content-Type": "text/csv"},
        ),
        413,
        "file-too-large",
    )
    assert (await petra.phonebook_entries("company"))["total"] == 0


@pytest.mark.feature("BOOK-2")
async def test_private_import_is_the_owners_alone(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    async with max_.events() as watcher:
        body = (VCARDS / "nextcloud-4.0.vcf").read_bytes()
        result = await max_.import_phonebook("private", body, "text/vcard")
        changed = await watcher.wait_for("phonebook.changed")
    assert changed["data"] == {"book": "private", "id": None, "import": True}
    assert result["imported"] == 2
    assert (await max_.phonebook_entries("private"))["total"] == 2
    assert (await erika.phonebook_entries("private"))["total"] == 0
    assert (await erika.phonebook_entries("company"))["total"] == 0
    found = await max_.resolve_number("0511 1234567")
    assert (found["name"], found["source"]) == ("Ännchen Schröder", "private-phonebook")
    await expect_error(erika.resolve_number("0511 1234567"), 404, "not-found")


@pytest.mark.feature("SRCH-3")
async def test_imported_entries_are_searchable_by_number(server: Server) -> None:
    petra = await manager(server)
    max_ = await server.signed_in("max")
    await petra.import_phonebook("company", (VCARDS / "apple-contacts.vcf").read_bytes())
    await max_.import_phonebook("private", (VCARDS / "google-contacts.vcf").read_bytes())
    erika = await server.signed_in("erika")
    for client, query, title in (
        (erika, "0170 123", "Jürgen Größer"),
        (erika, "+49170123", "Jürgen Größer"),
        (max_, "0151 234", "Sören Weiß"),
    ):
        results = (await client.request("GET", "/search", params={"q": query})).json()["results"]
        assert title in [r["title"] for r in results], (query, results)
    hidden = (await erika.request("GET", "/search", params={"q": "0151 234"})).json()["results"]
    assert "Sören Weiß" not in [r["title"] for r in hidden]


@pytest.mark.feature("BOOK-1")
def test_cli_import_shows_counts_and_line_numbers(tmp_path: Path) -> None:
    from teamline.phonebook.cli import phonebook_app

    cli = typer.Typer()
    cli.add_typer(phonebook_app, name="phonebook")
    env = {"TEAMLINE_DATA_DIR": str(tmp_path), "TEAMLINE_DATABASE_URL": ""}
    runner = CliRunner()
    file = tmp_path / "book.csv"
    file.write_bytes(
        (DATA / "csv" / "outlook-de.csv").read_bytes()
        + b'"";"Neu";"";"";"";"";"";"";"";"";"";"";"";"12345"\r\n'
    )
    first = runner.invoke(cli, ["phonebook", "import", str(file)], env=env)
    assert first.exit_code == 1, first.output
    assert "3 imported, 0 updated, 1 errors" in first.stdout
    assert "line 6:" in first.stderr
    again = runner.invoke(cli, ["phonebook", "import", str(file), "--book", "company"], env=env)
    assert "0 imported, 3 updated, 1 errors" in again.stdout
    vcf = runner.invoke(
        cli,
        ["phonebook", "import", str(VCARDS / "apple-contacts.vcf"), "--book", "private"],
        env=env,
    )
    assert vcf.exit_code == 2  # a private book needs its owner
    nobody = runner.invoke(
        cli,
        [
            "phonebook",
            "import",
            str(VCARDS / "apple-contacts.vcf"),
            "--book",
            "private",
            "--owner",
            "nobody",
        ],
        env=env,
    )
    assert nobody.exit_code == 1
    assert "nobody" in nobody.stderr
