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


async def test_start_up_objects_are_frozen_for_the_collector(server: Server) -> None:
    """What start-up made is out of the garbage collector's sight (full collections were the
    longest pauses under chat fan-out load)."""
    import gc

    assert gc.get_freeze_count() > 10_000
