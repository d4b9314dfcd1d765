from __future__ import annotations

import pytest

from tests.harness import Server


@pytest.mark.feature("PAIR-7")
async def test_sign_in_and_me(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann")
    me = await max_.me()
    assert me["display_name"] == "Max-Andreas Mustermann"
    async with max_.events() as stream:
        await max_.set_presence("dnd", "Meeting")
        event = await stream.wait_for("presence.changed", lambda d: d["presence"]["state"] == "dnd")
        assert event["data"]["presence"]["text"] == "Meeting"
