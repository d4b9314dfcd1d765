"""The call journal: writing entries per user, names at call time, filters, paging (JRNL-1,
JRNL-4, TEAM-6, BOOK-3, SET-5).

Telephony does not exist yet: calls are reported through ``JournalService.record_call``, the
writer the call engine will use, on the running server's container.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from teamline.accounts.schemas import UserPatchIn
from teamline.client import Client
from teamline.journal.schemas import CallRecord, Party, RouteStep
from tests.harness import Server, expect_error, uid

T0 = datetime(2026, 11, 25, 10, 2, tzinfo=UTC)
CUSTOMER = "+491701234567"
_call_ids = itertools.count(1)


async def record(server: Server, **fields: Any) -> list[dict[str, Any]]:
    """Report a finished call; returns the entries written, as JSON."""
    fields.setdefault("call_id", f"call-{next(_call_ids)}")
    fields.setdefault("started_at", T0)
    entries = await server.container.journal.record_call(CallRecord(**fields))
    return [entry.model_dump(mode="json") for entry in entries]


async def internal_call(
    server: Server, caller: Client, callee: Client, result: str = "answered", **fields: Any
) -> list[dict[str, Any]]:
    """``caller`` rings ``callee``; the callee's result, the caller's is answered or missed."""
    return await record(
        server,
        caller=Party.user(uid(caller)),
        callee=Party.user(uid(callee)),
        results={
            uid(caller): "answered" if result == "answered" else result,
            uid(callee): result,
        },
        answered_by=uid(callee) if result == "answered" else None,
        **fields,
    )


async def inbound(
    server: Server, callee: Client, result: str = "missed", number: str | None = CUSTOMER, **f: Any
) -> list[dict[str, Any]]:
    return await record(
        server,
        caller=Party.external(number),
        callee=Party.user(uid(callee)),
        results={uid(callee): result},
        answered_by=uid(callee) if result == "answered" else None,
        **f,
    )


async def entries(client: Client, **filters: Any) -> list[dict[str, Any]]:
    return list((await client.journal(**filters))["entries"])


# -- JRNL-1: one entry per involved user -----------------------------------------------


@pytest.mark.feature("JRNL-1")
async def test_internal_call_gives_each_side_its_own_entry(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann", extension="2001")
    erika = await server.signed_in("erika", display_name="Erika Musterfrau", extension="2002")
    async with max_.events() as max_events, erika.events() as erika_events:
        written = await internal_call(
            server,
            max_,
            erika,
            ring_seconds=4,
            talk_seconds=95,
            devices={uid(max_): "Laptop", uid(erika): "Desk phone"},
        )
        created = await max_events.wait_for("journal.created")
        await erika_events.wait_for("journal.created")
    assert len(written) == 2
    [mine] = await entries(max_)
    [hers] = await entries(erika)
    assert created["data"]["entry"] == mine
    assert mine["call_id"] == hers["call_id"]
    assert (mine["direction"], mine["result"], mine["device"]) == ("outbound", "answered", "Laptop")
    assert mine["party"] == {
        "name": "Erika Musterfrau",
        "number": "2002",
        "display": "2002",
        "user_id": uid(erika),
        "source": "user",
    }
    assert (hers["direction"], hers["result"], hers["device"]) == (
        "inbound",
        "answered",
        "Desk phone",
    )
    assert hers["party"]["name"] == "Max-Andreas Mustermann"
    assert hers["party"]["number"] == "2001"
    for entry in (mine, hers):
        assert entry["internal"] is True and entry["system"] is False
        assert (entry["ring_seconds"], entry["talk_seconds"]) == (4, 95)
        assert entry["seen"] is True
        assert entry["started_at"].startswith("2026-11-25T10:02:00")


@pytest.mark.feature("JRNL-1")
@pytest.mark.parametrize("result", ["answered", "missed", "busy", "rejected", "voicemail"])
async def test_external_inbound_call_results(server: Server, result: str) -> None:
    max_ = await server.signed_in("max")
    await inbound(server, max_, result, "0170 1234567", ring_seconds=12, talk_seconds=30)
    listing = await max_.journal()
    [entry] = listing["entries"]
    assert (entry["direction"], entry["result"], entry["internal"]) == ("inbound", result, False)
    # The number is kept in E.164 whatever form the network delivered.
    assert entry["party"] == {
        "name": None,
        "number": CUSTOMER,
        "display": "0170 1234567",
        "user_id": None,
        "source": None,
    }
    assert entry["talk_seconds"] == (30 if result == "answered" else 0)
    assert entry["ring_seconds"] == 12
    assert entry["seen"] is (result != "missed")
    assert listing["missed_unseen"] == (1 if result == "missed" else 0)


@pytest.mark.feature("JRNL-1")
@pytest.mark.parametrize("result", ["answered", "missed", "busy", "rejected"])
async def test_outbound_external_call_is_never_an_unseen_miss(server: Server, result: str) -> None:
    max_ = await server.signed_in("max")
    await record(
        server,
        caller=Party.user(uid(max_)),
        callee=Party.external(CUSTOMER),
        results={uid(max_): result},
    )
    listing = await max_.journal()
    [entry] = listing["entries"]
    assert (entry["direction"], entry["result"], entry["seen"]) == ("outbound", result, True)
    assert entry["party"]["number"] == CUSTOMER and entry["internal"] is False
    assert listing["missed_unseen"] == 0


@pytest.mark.feature("JRNL-1")
async def test_anonymous_caller_and_vanished_users(server: Server) -> None:
    max_ = await server.signed_in("max")
    written = await record(
        server,
        caller=Party.external(None),
        callee=Party.user(uid(max_)),
        results={uid(max_): "missed", "0" * 24: "missed"},
    )
    assert len(written) == 1  # a user that no longer exists gets no entry
    [entry] = await entries(max_)
    assert entry["party"] == {
        "name": None,
        "number": None,
        "display": None,
        "user_id": None,
        "source": None,
    }


# -- TEAM-6: team calls ---------------------------------------------------------------


@pytest.mark.feature("TEAM-6", "JRNL-1")
async def test_team_call_taken_by_a_colleague_is_completed_elsewhere(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    carl = await server.signed_in("carl")
    await record(
        server,
        caller=Party.external(CUSTOMER),
        callee=Party.external("+493012345100"),
        results={uid(anna): "answered", uid(ben): "completed-elsewhere", uid(carl): "busy"},
        answered_by=uid(anna),
        team_name="Support",
        ring_seconds=8,
        talk_seconds=60,
    )
    [taken] = await entries(anna)
    assert (taken["result"], taken["team_name"], taken["talk_seconds"]) == (
        "answered",
        "Support",
        60,
    )
    assert taken["party"]["number"] == CUSTOMER and taken["direction"] == "inbound"
    for colleague, result in ((ben, "completed-elsewhere"), (carl, "busy")):
        listing = await colleague.journal()
        [entry] = listing["entries"]
        assert (entry["result"], entry["team_name"]) == (result, "Support")
        assert (entry["talk_seconds"], entry["ring_seconds"]) == (0, 8)
        assert entry["seen"] is True and listing["missed_unseen"] == 0
        assert await entries(colleague, result="missed") == []


@pytest.mark.feature("TEAM-6")
async def test_team_call_nobody_took_is_missed_for_everyone(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    await record(
        server,
        caller=Party.external(CUSTOMER),
        callee=Party.external("+493012345100"),
        results={uid(anna): "missed", uid(ben): "missed"},
        team_name="Support",
    )
    for member in (anna, ben):
        listing = await member.journal(result="missed")
        assert [e["team_name"] for e in listing["entries"]] == ["Support"]
        assert listing["missed_unseen"] == 1


@pytest.mark.feature("TEAM-6", "JRNL-1")
async def test_colleague_calling_a_team_is_internal_and_shows_the_team(server: Server) -> None:
    max_ = await server.signed_in("max", extension="2001")
    anna = await server.signed_in("anna")
    await record(
        server,
        caller=Party.user(uid(max_)),
        callee=Party.external("100"),
        results={uid(max_): "answered", uid(anna): "answered"},
        answered_by=uid(anna),
        team_name="Support",
    )
    [outbound] = await entries(max_)
    assert outbound["internal"] is True and outbound["direction"] == "outbound"
    assert outbound["party"] == {
        "name": "Support",
        "number": "100",
        "display": "100",
        "user_id": None,
        "source": None,
    }
    [taken] = await entries(anna)
    assert taken["internal"] is True and taken["party"]["user_id"] == uid(max_)


# -- names are kept as they were at call time (JRNL-1, BOOK-3) ----------------------------


@pytest.mark.feature("JRNL-1")
async def test_colleague_rename_leaves_old_entries_alone(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika", display_name="Erika Musterfrau")
    await internal_call(server, max_, erika, started_at=T0)
    await server.container.accounts.update_user(
        uid(erika), UserPatchIn(display_name="Erika Schmidt")
    )
    await internal_call(server, max_, erika, started_at=T0 + timedelta(hours=1))
    names = [e["party"]["name"] for e in await entries(max_)]
    assert names == ["Erika Schmidt", "Erika Musterfrau"]


@pytest.mark.feature("JRNL-1", "BOOK-3")
async def test_phonebook_name_at_call_time_is_kept_and_private_to_its_owner(
    server: Server,
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    created = await max_.request(
        "POST",
        "/phonebooks/private/entries",
        json={"display_name": "Hans Kunde", "numbers": [{"type": "mobile", "number": CUSTOMER}]},
    )
    contact = created.json()
    await record(
        server,
        caller=Party.external(CUSTOMER),
        callee=Party.external("+493012345100"),
        results={uid(max_): "missed", uid(erika): "missed"},
        team_name="Sales",
    )
    [mine] = await entries(max_)
    assert mine["party"] == {
        "name": "Hans Kunde",
        "number": CUSTOMER,
        "display": "0170 1234567",
        "user_id": None,
        "source": "private-phonebook",
    }
    [hers] = await entries(erika)
    assert hers["party"]["name"] is None  # max's private book is max's alone
    await max_.request(
        "PATCH", f"/phonebooks/private/entries/{contact['id']}", json={"display_name": "Hans Alt"}
    )
    assert (await entries(max_))[0]["party"]["name"] == "Hans Kunde"


# -- JRNL-4: filters and paging ------------------------------------------------------------


@pytest.mark.feature("JRNL-4")
async def test_filters(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    at = iter(T0 + timedelta(minutes=n) for n in range(10))
    await internal_call(server, max_, erika, "answered", started_at=next(at))  # out, internal
    await internal_call(server, erika, max_, "missed", started_at=next(at))  # in, internal, missed
    await inbound(server, max_, "answered", started_at=next(at))  # in, external
    await inbound(server, max_, "missed", started_at=next(at))  # in, external, missed
    await record(  # out, external, busy
        server,
        caller=Party.user(uid(max_)),
        callee=Party.external(CUSTOMER),
        results={uid(max_): "busy"},
        started_at=next(at),
    )

    async def shape(**filters: Any) -> list[tuple[str, str, bool]]:
        return [
            (e["direction"], e["result"], e["internal"]) for e in await entries(max_, **filters)
        ]

    assert len(await shape()) == 5
    assert await shape(direction="outbound") == [
        ("outbound", "busy", False),
        ("outbound", "answered", True),
    ]
    assert [d for d, _, _ in await shape(direction="inbound")] == ["inbound"] * 3
    assert await shape(internal=True) == [
        ("inbound", "missed", True),
        ("outbound", "answered", True),
    ]
    assert {i for _, _, i in await shape(internal=False)} == {False}
    assert len(await shape(internal=False)) == 3
    assert await shape(result="missed") == [
        ("inbound", "missed", False),
        ("inbound", "missed", True),
    ]
    assert await shape(result="answered", direction="inbound") == [("inbound", "answered", False)]
    assert await shape(result="missed", internal=False) == [("inbound", "missed", False)]
    assert await shape(result="voicemail") == []


@pytest.mark.feature("JRNL-4")
async def test_paging_newest_first_without_gaps_or_repeats(server: Server) -> None:
    max_ = await server.signed_in("max")
    # Two calls at the very same second: the page boundary must not split them badly.
    times = [T0 + timedelta(minutes=n) for n in range(7)] + [T0 + timedelta(minutes=3)]
    for n, when in enumerate(times):
        await inbound(server, max_, "answered", call_id=f"page-{n}", started_at=when)
    seen: list[dict[str, Any]] = []
    before: str | None = None
    while True:
        page = await entries(max_, limit=3, before=before)
        assert len(page) <= 3
        if not page:
            break
        seen.extend(page)
        before = page[-1]["id"]
    assert len(seen) == len(times)
    assert len({e["id"] for e in seen}) == len(times)
    starts = [e["started_at"] for e in seen]
    assert starts == sorted(starts, reverse=True)
    assert len(await entries(max_, limit=200)) == len(times)


@pytest.mark.feature("JRNL-4")
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"result": "lost"}, "result"),
        ({"internal": "perhaps"}, "internal"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"before": "000000000000000000000000"}, "before"),
    ],
)
async def test_bad_filters_are_refused_naming_the_field(
    server: Server, params: dict[str, str], field: str
) -> None:
    max_ = await server.signed_in("max")
    error = await expect_error(max_.request("GET", "/journal", params=params), 422, "invalid-input")
    assert field in error.details


@pytest.mark.feature("JRNL-4", "SET-5")
async def test_setting_hides_system_calls(server: Server) -> None:
    max_ = await server.signed_in("max")
    await inbound(server, max_, "answered", started_at=T0)
    await record(  # max listens to his voicemail box
        server,
        caller=Party.user(uid(max_)),
        callee=Party.external("*86"),
        results={uid(max_): "answered"},
        system=True,
        started_at=T0 + timedelta(minutes=1),
        route=[RouteStep(T0 + timedelta(minutes=1), "answered", "voicemail")],
    )
    shown = await entries(max_)
    assert [e["system"] for e in shown] == [True, False]
    await max_.update_settings(hide_system_calls=True)
    assert [e["system"] for e in await entries(max_)] == [False]
    assert await entries(max_, direction="outbound") == []
    await max_.update_settings(hide_system_calls=False)
    assert len(await entries(max_)) == 2


@pytest.mark.feature("JRNL-1")
async def test_journal_needs_a_signed_in_caller(server: Server) -> None:
    await expect_error(server.client().journal(), 401, "unauthenticated")
