"""The demo company (``teamline serve --demo``): groups and conversations are not empty."""

from __future__ import annotations

import pytest

from teamline.demo.data import DEMO_PASSWORD, seed
from tests.harness import Server


@pytest.mark.feature("GRP-1", "CHAT-1")
async def test_demo_has_groups_and_conversations(server: Server) -> None:
    server.container.settings.argon2_time_cost = 1
    assert await seed(server.container) is True
    assert await seed(server.container) is False  # only into an empty database
    erika = server.client()
    await erika.sign_in("erika", DEMO_PASSWORD)
    assert [g["name"] for g in await erika.groups()] == ["Kaffeerunde"]
    listing = await erika.conversations()
    titles = {c["title"]: c for c in listing["conversations"]}
    assert set(titles) == {"Kaffeerunde", "Max-Andreas Mustermann"}
    assert titles["Kaffeerunde"]["unread"] == 2  # Jonas's and Hannah's, not her own
    assert titles["Max-Andreas Mustermann"]["last_message"]["text"] == "Klar, in 10 Minuten."
