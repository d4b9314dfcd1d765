"""A database that cannot take a write answers 503 and loses nothing.

Runs on its own SQLite file in both test passes: the lock is taken on that file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from teamline.client import SocketClosed
from tests.harness import expect_error, node_settings, run_server


async def test_a_locked_database_gives_503_then_recovers(tmp_path: Path) -> None:
    path = tmp_path / "teamline.db"
    settings = node_settings(tmp_path, f"sqlite:///{path}", sqlite_busy_timeout_ms=100)
    async with run_server(settings) as server:
        max_ = await server.signed_in("max")
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            error = await expect_error(max_.set_presence("dnd"), 503, "service-busy")
            assert "try again" in error.message
            with pytest.raises(SocketClosed) as closed:
                async with max_.events() as stream:
                    await stream.recv()
            assert closed.value.code == 1013
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert (await max_.set_presence("dnd"))["state"] == "dnd"
        assert (await max_.me())["presence"]["state"] == "dnd"
