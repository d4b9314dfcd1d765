"""Write transactions that queue up on SQLite are committed together (group commit).

What must hold whatever the grouping: every committed change reaches every recipient once,
in event-id order, and the same on replay; a transaction that fails is undone alone and its
caller sees what the ones before it committed. The grouping itself is asserted on SQLite
(fewer commits than transactions); on PostgreSQL the same tests run one transaction each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Connection

from teamline.container import Container
from teamline.events import store
from teamline.events.models import EventLog
from tests.harness import Server, uid

Event = dict[str, Any]


@contextmanager
def counting_commits(container: Container) -> Iterator[list[int]]:
    """The number of database commits made while the block runs, in ``[0]``."""
    count = [0]

    def on_commit(_conn: Connection) -> None:
        count[0] += 1

    engine = container.db.write_engine.sync_engine
    event.listen(engine, "commit", on_commit)
    try:
        yield count
    finally:
        event.remove(engine, "commit", on_commit)


async def messages_on(stream: Any, count: int) -> list[Event]:
    return [await stream.wait_for("message.created") for _ in range(count)]


async def test_concurrent_sends_arrive_once_in_order_live_and_on_replay(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    cleo = await server.signed_in("cleo")
    group = await max_.create_group("Team", [uid(erika), uid(cleo)])
    conv = group["conversation_id"]
    sends = 24
    async with erika.events() as stream:
        with counting_commits(server.container) as commits:
            sent = await asyncio.gather(
                *(max_.send_message(conv, f"m{k}", client_id=f"c{k}") for k in range(sends))
            )
        live = await messages_on(stream, sends)
    if server.container.db.is_sqlite:
        assert commits[0] < sends  # some sends shared a commit
    by_seq = sorted(sent, key=lambda m: m["seq"])
    assert [m["seq"] for m in by_seq] == list(range(1, sends + 1))
    # Live: each message once, in the order of the conversation, under increasing ids.
    assert [e["data"]["id"] for e in live] == [m["id"] for m in by_seq]
    ids = [e["id"] for e in live]
    assert ids == sorted(ids) and len(set(ids)) == sends
    # Replay from before the first: the same events under the same ids.
    async with erika.events(since=ids[0] - 1) as replay:
        replayed = await messages_on(replay, sends)
    assert [(e["id"], e["data"]["id"]) for e in replayed] == [
        (e["id"], e["data"]["id"]) for e in live
    ]
    assert (await cleo.conversations())["unread_total"] == sends
    assert [m["text"] for m in await cleo.messages(conv)] == [m["text"] for m in by_seq]


async def test_a_failing_send_among_concurrent_ones_is_undone_alone(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    group = await max_.create_group("Team", [uid(erika)])
    conv = group["conversation_id"]
    # Every other send repeats the client id of the one before: it takes a message number
    # and then fails on the unique client id, inside the same group as the first.
    client_ids = [f"c{k // 2}" for k in range(16)]
    async with erika.events() as stream:
        answers = await asyncio.gather(
            *(max_.send_message(conv, f"text {cid}", client_id=cid) for cid in client_ids)
        )
        live = await messages_on(stream, 8)
        assert [e for e in await stream.drain(0.3) if e["type"] == "message.created"] == []
    by_client = {
        cid: {a["id"] for a, c in zip(answers, client_ids, strict=True) if c == cid}
        for cid in set(client_ids)
    }
    assert all(len(ids) == 1 for ids in by_client.values())  # a retry answers the first
    messages = await erika.messages(conv)
    # The failed sends' message numbers were rolled back with them: no holes.
    assert [m["seq"] for m in messages] == list(range(1, 9))
    assert sorted(m["client_id"] for m in messages) == sorted(set(client_ids))
    assert [e["data"]["id"] for e in live] == [m["id"] for m in messages]
    assert (await erika.conversations())["unread_total"] == 8


async def test_a_failed_block_in_a_group_leaves_the_others_committed(server: Server) -> None:
    """At the level of ``Events.transaction``: a block that raises, and one whose flush fails,
    between blocks that succeed; the first block holds its group open until the others queue."""
    app = server.container
    user = await server.create_user("anna")
    user_id = user["id"]
    release = asyncio.Event()
    started = asyncio.Event()

    async def first() -> None:
        async with app.events.transaction() as tx:
            tx.emit([user_id], "test.fact", {"n": 1})
            started.set()
            await release.wait()

    async def raising() -> None:
        async with app.events.transaction() as tx:
            tx.emit([user_id], "test.fact", {"n": 2})
            raise ValueError("refused")

    async def failing_flush() -> None:
        async with app.events.transaction() as tx:
            tx.emit([user_id], "test.fact", {"n": 3})
            tx.session.add(EventLog(id=store.LOG_ROW, last_id=0, pruned_through=0))  # exists

    async def last() -> None:
        async with app.events.transaction() as tx:
            tx.emit([user_id], "test.fact", {"n": 4})

    async with app.db.read() as session:
        before, _ = await store.position(session)
    with counting_commits(app) as commits:
        tasks = [asyncio.create_task(first())]
        await started.wait()
        tasks += [asyncio.create_task(f()) for f in (raising, failing_flush, last)]
        await asyncio.sleep(0)  # one step each: they now wait for the turn (no time passes)
        if app.db.is_sqlite:
            assert app.events.blocks_waiting == 3
        release.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    assert results[0] is None and results[3] is None
    assert isinstance(results[1], ValueError)
    assert type(results[2]).__name__ == "IntegrityError"
    if app.db.is_sqlite:
        assert commits[0] == 1
    async with app.db.read() as session:
        logged = await store.after(session, user_id, before)
    assert len(logged) == 2 and before < logged[0].id < logged[1].id
    # In the order the blocks ran on SQLite; on PostgreSQL in the order they committed.
    facts = [e.data["n"] for e in logged]
    assert facts == [1, 4] if app.db.is_sqlite else sorted(facts) == [1, 4]


@pytest.mark.parametrize("failing", [False, True])
async def test_a_single_block_commits_or_rolls_back_alone(server: Server, failing: bool) -> None:
    """A block with nobody queued behind it is a transaction of its own (no savepoint)."""
    app = server.container
    user_id = (await server.create_user("anna"))["id"]
    async with app.db.read() as session:
        before, _ = await store.position(session)
    with counting_commits(app) as commits:
        try:
            async with app.events.transaction() as tx:
                tx.emit([user_id], "test.fact", {"n": 1})
                if failing:
                    raise ValueError("refused")
        except ValueError:
            assert failing
    async with app.db.read() as session:
        logged = await store.after(session, user_id, before)
    assert [e.data for e in logged] == ([] if failing else [{"n": 1}])
    assert commits[0] == (0 if failing else 1)
    # The write turn was given back: the next transaction runs.
    async with app.events.transaction() as tx:
        tx.emit([user_id], "test.fact", {"n": 2})
