"""The event log's storage: each fact once, to an audience; delivery in id order per node.

A message to a group is one row naming the group's audience (a stored set of users), not a
row per member; a hole in the ids a node receives (a fact published late, or by a process
without a hub) is filled from the log, in order.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from teamline.core.ids import utcnow
from teamline.core.migrate import alembic_config
from teamline.events import store
from teamline.events.bus import InProcessBus
from teamline.events.models import EventAudience, EventAudienceMember, EventRecord
from teamline.events.service import Events
from tests.harness import Server, uid

Event = dict[str, Any]


async def facts_of_type(server: Server, type_: str) -> list[tuple[int, int]]:
    """(id, audience id) of every logged fact of ``type_``, oldest first."""
    async with server.container.db.read() as session:
        rows = await session.execute(
            select(EventRecord.id, EventRecord.audience_id)
            .where(EventRecord.type == type_)
            .order_by(EventRecord.id)
        )
        return [(int(i), int(a)) for i, a in rows]


async def members_of(server: Server, audience_id: int) -> set[str]:
    async with server.container.db.read() as session:
        rows = await session.scalars(
            select(EventAudienceMember.user_id).where(
                EventAudienceMember.audience_id == audience_id
            )
        )
        return set(rows)


@pytest.mark.feature("CHAT-1")
async def test_a_group_message_is_one_logged_fact_to_the_group_s_audience(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    cleo = await server.signed_in("cleo")
    group = await max_.create_group("Team", [uid(erika), uid(cleo)])
    conversation = group["conversation_id"]
    async with erika.events() as stream:
        for k in range(3):
            await max_.send_message(conversation, f"m{k}")
        live = [await stream.wait_for("message.created") for _ in range(3)]
    logged = await facts_of_type(server, "message.created")
    # One row per message, all naming one audience: the three members.
    assert [i for i, _ in logged] == [e["id"] for e in live]
    assert len({a for _, a in logged}) == 1
    assert await members_of(server, logged[0][1]) == {uid(max_), uid(erika), uid(cleo)}

    # A new member: the next message goes to a new audience, which includes her.
    dana = await server.signed_in("dana")
    await max_.add_group_member(group["id"], uid(dana))
    async with dana.events() as stream:
        await max_.send_message(conversation, "welcome")
        event = await stream.wait_for("message.created")
    assert event["data"]["text"] == "welcome"
    *_, (last_id, audience) = await facts_of_type(server, "message.created")
    assert last_id == event["id"] and audience != logged[0][1]
    assert await members_of(server, audience) == {uid(max_), uid(erika), uid(cleo), uid(dana)}
    # Erika reads the same message under the same id on replay.
    async with erika.events(since=live[-1]["id"]) as stream:
        replayed = await stream.wait_for("message.created")
    assert (replayed["id"], replayed["data"]["text"]) == (last_id, "welcome")


@pytest.mark.feature("CHAT-1")
async def test_facts_reach_a_socket_in_id_order_when_published_late_or_elsewhere(
    server: Server,
) -> None:
    """Two facts are committed by an ``Events`` of their own (like a second process): the
    node's hub hears of the second first, and of the first only afterwards. The socket gets
    both, in id order, once each."""
    app = server.container
    anna = await server.signed_in("anna")
    heard: list[list[dict[str, Any]]] = []  # one list per commit
    elsewhere = InProcessBus()

    async def hear(facts: list[dict[str, Any]]) -> None:
        heard.append(facts)

    await elsewhere.start(hear)
    other = Events(app.db, elsewhere, app.settings)
    async with anna.events() as stream:
        await stream.wait_for("presence.changed")  # her own socket brought her online
        for n in (1, 2):
            async with other.transaction() as tx:
                tx.emit([uid(anna)], "test.fact", {"n": n})
        assert [[m["data"]["n"] for m in facts] for facts in heard] == [[1], [2]]
        assert await stream.drain(0.2) == []  # nobody told this node's hub yet
        (first,), (second,) = heard
        await app.hub.deliver([second])  # the hole before it is read from the log
        got = [await stream.recv(), await stream.recv()]
        assert [(e["id"], e["data"]) for e in got] == [
            (first["id"], {"n": 1}),
            (second["id"], {"n": 2}),
        ]
        await app.hub.deliver([first])  # late: delivered already
        assert await stream.drain(0.2) == []
        # Then live delivery goes on as before.
        async with app.events.transaction() as tx:
            tx.emit([uid(anna)], "test.fact", {"n": 3})
        after = await stream.recv()
        assert after["data"] == {"n": 3} and after["id"] > second["id"]


async def test_pruning_drops_a_prefix_of_the_log_and_the_audiences_left_unused(
    server: Server,
) -> None:
    app = server.container
    anna = (await server.create_user("anna"))["id"]
    ben = (await server.create_user("ben"))["id"]
    async with app.events.transaction() as tx:
        tx.emit([anna, ben], "test.old", {})
    async with app.db.write() as session:
        await session.execute(
            sa.update(EventRecord).values(created_at=utcnow() - timedelta(days=30))
        )
    async with app.events.transaction() as tx:
        tx.emit([anna], "test.new", {})
    async with app.db.read() as session:
        newest, _ = await store.position(session)
    audiences_before = await count(server, EventAudience)

    await app.events.prune()

    async with app.db.read() as session:
        kept = await store.after(session, anna, 0)
        assert await store.position(session) == (newest, newest - 1)
    assert [f.type for f in kept] == ["test.new"]
    # Anna-and-Ben's audience (and everything only older facts named) is gone; Anna's stays.
    assert await count(server, EventAudience) < audiences_before
    assert await count(server, EventRecord) == 1
    async with app.events.transaction() as tx:
        tx.emit([anna, ben], "test.again", {})  # the audience is made again
    async with app.db.read() as session:
        again = await store.after(session, ben, newest)
    assert [f.type for f in again] == ["test.again"]


async def count(server: Server, model: Any) -> int:
    async with server.container.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_migration_0008_starts_the_ids_above_every_old_one(tmp_path: Path) -> None:
    """A database with the old per-user log: the new ids start above the highest old id, and
    everything up to there counts as pruned (old clients reload after ``events.gap``)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    # Alembic runs the migrations over the async driver with ``asyncio.run``: in a thread.
    await asyncio.to_thread(command.upgrade, config, "0007")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        for login, last in (("anna", 41), ("ben", 7)):
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, login, display_name, role, may_pair_self, "
                    "may_edit_follow_me, directory_user, disabled, avatar_version, created_at) "
                    "VALUES (:id, :id, :id, 'user', 1, 1, 0, 0, 0, '2026-01-01 00:00:00')"
                ),
                {"id": login},
            )
            conn.execute(
                sa.text("INSERT INTO event_cursors (user_id, last_id) VALUES (:u, :n)"),
                {"u": login, "n": last},
            )
    await asyncio.to_thread(command.upgrade, config, "head")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, last_id, pruned_through FROM event_log")).all() == [
            (1, 41, 41)
        ]
    await asyncio.to_thread(command.downgrade, config, "0007")
    with engine.connect() as conn:
        cursors = conn.execute(sa.text("SELECT user_id, last_id FROM event_cursors")).all()
    assert sorted(cursors) == [("anna", 41), ("ben", 41)]
    engine.dispose()
