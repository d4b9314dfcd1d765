"""The call journal: calls written through the journal service (telephony does not exist yet)
show in the list with filters, details, copy, call back, delete and the missed-calls badge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage, shot, sign_in

pytestmark = pytest.mark.browser

# Runs in its own interpreter: the sync Playwright API keeps an event loop on this thread.
RECORD = """
import asyncio, json, sys
from datetime import UTC, datetime, timedelta
from teamline.config import load_settings
from teamline.container import Container
from teamline.journal.schemas import CallRecord, Party, RouteStep

async def main(calls):
    app = Container.build(load_settings())
    try:
        now = datetime.now(UTC)
        for call in calls:
            start = now - timedelta(minutes=call.pop("minutes_ago"))
            def party(p):
                return Party.user(p["user"]) if "user" in p else Party.external(p.get("number"))
            route = [
                RouteStep(start + timedelta(seconds=s), e, t) for s, e, t in call.pop("route", [])
            ]
            caller, callee = party(call.pop("caller")), party(call.pop("callee"))
            await app.journal.record_call(
                CallRecord(started_at=start, caller=caller, callee=callee, route=route, **call)
            )
    finally:
        await app.stop()

asyncio.run(main(json.loads(sys.argv[1])))
"""


@pytest.fixture
def record_calls(
    live_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[list[dict[str, Any]]], None]:
    """Writes finished calls into the test server's database through ``JournalService``."""
    logs = sorted(tmp_path_factory.getbasetemp().glob("teamline-data*/server.log"))
    assert logs, "the live server's data directory was not found"
    data = logs[-1].parent

    def record(calls: list[dict[str, Any]]) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMLINE_")}
        env["TEAMLINE_DATA_DIR"] = str(data)
        done = subprocess.run(
            [sys.executable, "-c", RECORD, json.dumps(calls)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr

    return record


def ids(admin: httpx.Client) -> dict[str, str]:
    return {u["login"]: u["id"] for u in admin.get("/api/v1/users").json()["users"]}


def calls_for(me: str, users: dict[str, str], tag: str) -> list[dict[str, Any]]:
    mine = users[me]
    return [
        {  # a missed external call
            "call_id": f"{tag}-1",
            "minutes_ago": 5,
            "caller": {"number": "+49 30 7654321"},
            "callee": {"user": mine},
            "results": {mine: "missed"},
            "ring_seconds": 20,
            "route": [[0, "ringing", "Browser"], [20, "missed", None]],
        },
        {  # an internal call from max, answered
            "call_id": f"{tag}-2",
            "minutes_ago": 30,
            "caller": {"user": users["max"]},
            "callee": {"user": mine},
            "results": {mine: "answered", users["max"]: "answered"},
            "answered_by": mine,
            "ring_seconds": 4,
            "talk_seconds": 125,
            "devices": {mine: "Firefox on Linux"},
            "route": [[0, "ringing", "Firefox on Linux"], [4, "answered", "Firefox on Linux"]],
        },
        {  # an earlier internal call with max, for "last calls with this party"
            "call_id": f"{tag}-3",
            "minutes_ago": 60 * 26,
            "caller": {"user": mine},
            "callee": {"user": users["max"]},
            "results": {mine: "answered", users["max"]: "answered"},
            "answered_by": users["max"],
            "talk_seconds": 61,
        },
        {  # an outbound external call
            "call_id": f"{tag}-4",
            "minutes_ago": 90,
            "caller": {"user": mine},
            "callee": {"number": "+49 89 1234567"},
            "results": {mine: "answered"},
            "talk_seconds": 42,
        },
        {  # a missed team call
            "call_id": f"{tag}-5",
            "minutes_ago": 120,
            "caller": {"number": "+49 40 555000"},
            "callee": {"number": "120"},
            "results": {mine: "missed"},
            "team_name": "Support",
        },
    ]


def entries(page: Page) -> Locator:
    return page.get_by_test_id("journal-list").locator("li.journal-entry")


@pytest.mark.feature("JRNL-1", "JRNL-2", "JRNL-3", "JRNL-4", "JRNL-5")
@pytest.mark.parametrize("language", ["de", "en"])
def test_journal(
    new_page: NewPage,
    admin: httpx.Client,
    make_user: Callable[..., dict[str, Any]],
    record_calls: Callable[[list[dict[str, Any]]], None],
    language: str,
) -> None:
    # A fresh user: the language setting and the calls stay out of other tests.
    login = make_user("Lena Journal" if language == "de" else "Elias Journal")["login"]
    users = ids(admin)
    record_calls(calls_for(login, users, f"{login}-{os.getpid()}"))
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, login)
    if language == "en":
        page.get_by_test_id("nav-settings").click()
        page.get_by_test_id("setting-language").select_option("en")
        expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")

    # The badge counts the missed inbound calls until the journal is opened.
    badge = page.get_by_test_id("journal-missed-badge")
    expect(badge).to_have_text("2")
    shot(page, f"80-journal-badge-{language}")
    page.get_by_test_id("nav-journal").click()
    expect(entries(page)).to_have_count(5)
    expect(badge).to_be_hidden()
    shot(page, f"81-journal-{language}")

    # Filters.
    expected = {"missed": 2, "in": 3, "out": 2, "internal": 2, "external": 3, "all": 5}
    for chip, count in expected.items():
        page.get_by_test_id(f"journal-filter-{chip}").click()
        expect(page.get_by_test_id(f"journal-filter-{chip}")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(entries(page)).to_have_count(count)
        if chip == "missed":
            expect(entries(page).first).to_have_attribute("data-missed", "true")
            shot(page, f"82-journal-missed-{language}")

    # Details of the call with max: route and the last calls with him.
    call = entries(page).filter(has_text="Max-Andreas Mustermann").first
    call.locator(".contact-button").click()
    detail = page.get_by_test_id("journal-detail")
    expect(detail).to_be_visible()
    expect(page.get_by_test_id("journal-route")).to_contain_text("Firefox on Linux")
    expect(page.get_by_test_id("journal-recent").locator("li")).to_have_count(1)
    expect(detail).to_contain_text("2:05")
    shot(page, f"83-journal-detail-{language}")
    page.get_by_test_id("journal-copy").click()
    expect(page.get_by_test_id("journal-copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Max-Andreas Mustermann" in copied and "101" in copied
    page.get_by_test_id("journal-call-back").click()
    expect(page.get_by_test_id("call-toast")).to_contain_text("101")
    page.get_by_test_id("journal-detail-close").click()

    # Delete the outbound external call.
    outbound = entries(page).filter(has_text="1234567")
    expect(outbound).to_have_count(1)
    outbound.locator(".contact-button").click()
    page.get_by_test_id("journal-delete").click()
    page.get_by_test_id("journal-delete-confirm-ok").click()
    expect(entries(page)).to_have_count(4)

    # Seen on the server too: after a reload no badge.
    page.reload()
    expect(entries(page)).to_have_count(4)
    page.get_by_test_id("nav-contacts").click()
    expect(page.get_by_test_id("contacts")).to_be_visible()
    expect(badge).to_be_hidden()
