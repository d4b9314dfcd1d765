"""The call journal: detail and copy text, missed-call counter, deleting, privacy, search
(JRNL-2, JRNL-3, JRNL-5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest

from teamline.journal.schemas import Party, RouteStep
from tests.api.test_journal import CUSTOMER, T0, entries, inbound, internal_call, record, uid
from tests.harness import PASSWORD, Server, expect_error

# -- JRNL-2, JRNL-3: detail -------------------------------------------------------------


@pytest.mark.feature("JRNL-2", "JRNL-3")
async def test_detail_has_route_recent_calls_with_the_party_and_copy_text(server: Server) -> None:
    max_ = await server.signed_in("max")
    route = [
        RouteStep(T0, "ringing", "Max (Laptop)"),
        RouteStep(T0 + timedelta(seconds=20), "forwarded", "+491609999999"),
        RouteStep(T0 + timedelta(seconds=25), "answered", "+491609999999"),
    ]
    for n in range(12):  # older calls with the same customer
        await inbound(server, max_, "answered", started_at=T0 - timedelta(hours=n + 1))
    await inbound(server, max_, "missed", "+4930555000", started_at=T0 - timedelta(minutes=5))
    [written] = await inbound(server, max_, "answered", started_at=T0, route=route)

    detail = await max_.journal_entry(written["id"])
    assert {k: detail[k] for k in written} == written
    assert detail["route"] == [
        {"at": "2026-11-25T10:02:00Z", "event": "ringing", "target": "Max (Laptop)"},
        {"at": "2026-11-25T10:02:20Z", "event": "forwarded", "target": "+491609999999"},
        {"at": "2026-11-25T10:02:25Z", "event": "answered", "target": "+491609999999"},
    ]
    recent = detail["recent_with_party"]
    assert len(recent) == 10
    assert written["id"] not in {e["id"] for e in recent}
    assert {e["party"]["number"] for e in recent} == {CUSTOMER}
    assert recent[0]["started_at"].startswith("2026-11-25T09:02")  # newest first
    assert detail["copy_text"] == "+49 170 1234567"


@pytest.mark.feature("JRNL-2", "JRNL-3")
async def test_detail_of_a_colleague_call_matches_by_user(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann", extension="2001")
    erika = await server.signed_in("erika", extension="2002")
    carl = await server.signed_in("carl")
    await internal_call(server, max_, erika, started_at=T0 - timedelta(hours=2))
    await internal_call(server, carl, erika, started_at=T0 - timedelta(hours=1))
    await internal_call(server, max_, erika, "missed", started_at=T0)
    newest, *_ = await entries(erika)
    detail = await erika.journal_entry(newest["id"])
    assert detail["copy_text"] == "Max-Andreas Mustermann, 2001"
    assert [e["party"]["user_id"] for e in detail["recent_with_party"]] == [uid(max_)]


@pytest.mark.feature("JRNL-3")
async def test_copy_text_of_an_anonymous_call(server: Server) -> None:
    max_ = await server.signed_in("max")
    [written] = await inbound(server, max_, "missed", None)
    detail = await max_.journal_entry(written["id"])
    assert detail["copy_text"] == "Unknown number"
    assert detail["recent_with_party"] == []


# -- JRNL-5: missed-call counter --------------------------------------------------------


@pytest.mark.feature("JRNL-5")
async def test_missed_counter_rises_and_seen_resets_it_on_every_device(server: Server) -> None:
    max_ = await server.signed_in("max")
    phone = server.client()
    await phone.sign_in("max", PASSWORD, "Phone")
    async with max_.events() as laptop_events, phone.events() as phone_events:
        await inbound(server, max_, "missed")
        await inbound(server, max_, "answered")
        await inbound(server, max_, "missed", "+4930555000")
        for stream in (laptop_events, phone_events):
            counts = [(await stream.wait_for("journal.missed"))["data"]["count"] for _ in range(2)]
            assert counts == [1, 2]
        assert (await max_.journal())["missed_unseen"] == 2
        assert [e["seen"] for e in await entries(max_, result="missed")] == [False, False]

        await phone.mark_journal_seen()
        for stream in (laptop_events, phone_events):
            assert (await stream.wait_for("journal.missed"))["data"] == {"count": 0}
    listing = await max_.journal()
    assert listing["missed_unseen"] == 0
    assert all(e["seen"] for e in listing["entries"])


@pytest.mark.feature("JRNL-5")
async def test_each_users_counter_is_their_own(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    await inbound(server, max_, "missed")
    await inbound(server, erika, "missed")
    await erika.mark_journal_seen()
    assert (await max_.journal())["missed_unseen"] == 1
    assert (await erika.journal())["missed_unseen"] == 0


# -- JRNL-5: deleting -------------------------------------------------------------------


@pytest.mark.feature("JRNL-5")
async def test_delete_one_entry(server: Server) -> None:
    max_ = await server.signed_in("max")
    [kept] = await inbound(server, max_, "missed", started_at=T0)
    [gone] = await inbound(server, max_, "missed", started_at=T0 + timedelta(minutes=1))
    async with max_.events() as stream:
        await max_.delete_journal_entry(gone["id"])
        deleted = await stream.wait_for("journal.deleted")
        missed = await stream.wait_for("journal.missed")
    assert deleted["data"] == {"ids": [gone["id"]]}
    assert missed["data"] == {"count": 1}
    listing = await max_.journal()
    assert [e["id"] for e in listing["entries"]] == [kept["id"]]
    assert listing["missed_unseen"] == 1
    await expect_error(max_.journal_entry(gone["id"]), 404, "not-found")
    await expect_error(max_.delete_journal_entry(gone["id"]), 404, "not-found")


@pytest.mark.feature("JRNL-5")
async def test_clear_the_whole_journal(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    await internal_call(server, max_, erika)
    await inbound(server, max_, "missed")
    async with max_.events() as stream:
        await max_.clear_journal()
        deleted = await stream.wait_for("journal.deleted")
        assert (await stream.wait_for("journal.missed"))["data"] == {"count": 0}
    assert len(deleted["data"]["ids"]) == 2
    assert await max_.journal() == {"entries": [], "missed_unseen": 0}
    assert len(await entries(erika)) == 1  # the other side keeps theirs
    await max_.clear_journal()  # clearing an empty journal is fine


# -- nobody sees another user's journal ----------------------------------------------------


@pytest.mark.feature("JRNL-1", "JRNL-2", "JRNL-5")
async def test_another_users_entry_is_never_readable_or_deletable(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    [entry] = await inbound(server, max_, "missed")
    await expect_error(erika.journal_entry(entry["id"]), 404, "not-found")
    await expect_error(erika.delete_journal_entry(entry["id"]), 404, "not-found")
    error = await expect_error(erika.journal(before=entry["id"]), 422, "invalid-input")
    assert "before" in error.details
    await erika.clear_journal()
    await erika.mark_journal_seen()
    assert await entries(erika) == []
    listing = await max_.journal()
    assert [e["id"] for e in listing["entries"]] == [entry["id"]]
    assert listing["missed_unseen"] == 1


# -- search index (SRCH via the journal) -------------------------------------------------


async def search(client: Any, query: str) -> list[dict[str, Any]]:
    response = await client.request("GET", "/search", params={"q": query})
    return [r for r in response.json()["results"] if r["source"] == "journal"]


@pytest.mark.feature("JRNL-1", "JRNL-5")
async def test_entries_are_searchable_by_their_owner_until_deleted(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    [entry] = await record(
        server,
        caller=Party.external(CUSTOMER),
        callee=Party.external("+493012345100"),
        results={uid(max_): "missed"},
        team_name="Kundendienst",
    )
    found = await search(max_, "Kundendienst")
    assert [(r["id"], r["title"]) for r in found] == [(entry["id"], "+491701234567")]
    assert found[0]["subtitle"] == "missed · 2026-11-25 10:02"
    assert [r["id"] for r in await search(max_, "0170 1234567")] == [entry["id"]]
    assert await search(erika, "Kundendienst") == []
    await max_.delete_journal_entry(entry["id"])
    assert await search(max_, "Kundendienst") == []


@pytest.mark.feature("JRNL-2", "JRNL-4")
@pytest.mark.parametrize("odd", ["\x00", "x" * 33, "ü'; --"])
async def test_odd_ids_are_refused_not_failed(server: Server, odd: str) -> None:
    max_ = await server.signed_in("max")
    await expect_error(max_.journal(before=odd), 422, "invalid-input")
    in_path = quote(odd, safe="")
    await expect_error(max_.journal_entry(in_path), 404, "not-found")
    await expect_error(max_.delete_journal_entry(in_path), 404, "not-found")
