"""Presence: the state a user chose, combined with what their live clients report (CONT-1…3).

``online`` is true while any of the user's devices holds an event socket on any node;
``auto_away`` while all of those sockets report idle. Both are derived from the
``live_sockets`` table and published only when they change.

A chosen state is announced at once (``presence.changed``). Changes that sockets cause
(online, auto-away) are announced at most every ``ANNOUNCE_INTERVAL_SECONDS``: the first after
a quiet spell at once, those arriving meanwhile together, as one ``presence.batch`` when
several users changed. Each announcement is logged once per active user, so a site where a
thousand people connect within a minute would otherwise log a million events (every opening
socket told to everyone); together it is one event per user and interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store as accounts_store
from teamline.config import Settings
from teamline.core.errors import NotFound
from teamline.core.ids import utcnow
from teamline.events.service import Events, Transaction
from teamline.presence import store
from teamline.presence.models import Presence
from teamline.presence.schemas import PresenceOut, effective

log = logging.getLogger(__name__)

# How often changes caused by sockets are announced, at most (see the module's docstring).
ANNOUNCE_INTERVAL_SECONDS = 0.25


def presence_out(row: Presence) -> PresenceOut:
    return PresenceOut(
        state=row.state,
        text=row.text,
        auto_away=row.auto_away,
        online=row.online,
        phone=row.phone,
        effective=effective(row.state, online=row.online, auto_away=row.auto_away),
    )


class PresenceService:
    def __init__(self, events: Events, settings: Settings, node_id: str) -> None:
        self.events = events
        self.settings = settings
        self.node_id = node_id
        self._unannounced: set[str] = set()  # users whose online/auto-away changed
        self._announcer: asyncio.Task[None] | None = None
        self._announced_at = 0.0  # time.monotonic() of the last announcement

    @property
    def _stale_after(self) -> timedelta:
        return timedelta(seconds=self.settings.node_heartbeat_seconds * 3)

    async def of(self, session: AsyncSession, user_id: str) -> PresenceOut:
        row = await store.get(session, user_id)
        if row is None:
            raise NotFound("No such user.")
        return presence_out(row)

    async def of_many(
        self, session: AsyncSession, user_ids: Sequence[str]
    ) -> dict[str, PresenceOut]:
        rows = await store.get_many(session, user_ids)
        return {user_id: presence_out(row) for user_id, row in rows.items()}

    async def set_manual(self, user_id: str, state: str, text: str | None) -> PresenceOut:
        """Set the chosen state (and text, when given) and tell everyone."""
        async with self.events.transaction() as tx:
            row = await store.get(tx.session, user_id, lock=True)
            if row is None:
                raise NotFound("No such user.")
            row.state = state
            if text is not None:
                row.text = text.strip()
            row.updated_at = utcnow()
            out = presence_out(row)
            await self._announce(tx, user_id, out)
        return out

    async def socket_opened(self, *, socket_id: str, user_id: str, device_id: str) -> None:
        async with self.events.transaction() as tx:
            await store.add_socket(
                tx.session,
                socket_id=socket_id,
                user_id=user_id,
                device_id=device_id,
                node_id=self.node_id,
            )
            changed = await self._recompute(tx, user_id)
        self._announce_soon([user_id] if changed else [])

    async def socket_closed(self, socket_id: str) -> None:
        async with self.events.transaction() as tx:
            user_id = await store.remove_socket(tx.session, socket_id)
            changed = user_id is not None and await self._recompute(tx, user_id)
        self._announce_soon([user_id] if user_id is not None and changed else [])

    async def client_state(self, socket_id: str, *, idle: bool, foreground: bool) -> None:
        """A client reported idleness/visibility (``client.state`` frame)."""
        async with self.events.transaction() as tx:
            user_id = await store.set_socket_state(
                tx.session, socket_id, idle=idle, foreground=foreground
            )
            changed = user_id is not None and await self._recompute(tx, user_id)
        self._announce_soon([user_id] if user_id is not None and changed else [])

    async def heartbeat(self) -> None:
        """Keep this node's sockets fresh; forget those of nodes that stopped reporting."""
        async with self.events.transaction() as tx:
            await store.touch_node(tx.session, self.node_id)
            gone = await store.remove_stale(tx.session, seen_before=utcnow() - self._stale_after)
            changed = [user_id for user_id in gone if await self._recompute(tx, user_id)]
        self._announce_soon(changed)

    async def node_stopped(self) -> None:
        """This node shuts down: its sockets are gone, and what is unannounced is told now."""
        if self._announcer is not None:
            self._announcer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._announcer
        async with self.events.transaction() as tx:
            for user_id in await store.remove_node(tx.session, self.node_id):
                if await self._recompute(tx, user_id):
                    self._unannounced.add(user_id)
        await self._announce_unannounced()

    async def _recompute(self, tx: Transaction, user_id: str) -> bool:
        """Derive ``user_id``'s online and auto-away from their sockets; whether that changed
        (and is to be announced)."""
        row = await store.get(tx.session, user_id, lock=True)
        if row is None:
            return False
        sockets = await store.live_sockets(
            tx.session, user_id, fresh_after=utcnow() - self._stale_after
        )
        online = bool(sockets)
        auto_away = online and all(s.idle for s in sockets)
        if (online, auto_away) == (row.online, row.auto_away):
            return False
        row.online, row.auto_away, row.updated_at = online, auto_away, utcnow()
        return True

    def _announce_soon(self, user_ids: Iterable[str]) -> None:
        self._unannounced.update(user_ids)
        if self._unannounced and (self._announcer is None or self._announcer.done()):
            self._announcer = asyncio.create_task(self._announce_in_turn(), name="presence")

    async def _announce_in_turn(self) -> None:
        """Announce what is unannounced, at most once per interval, until nothing is left."""
        while self._unannounced:
            wait = self._announced_at + ANNOUNCE_INTERVAL_SECONDS - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                await self._announce_unannounced()
            except Exception:  # the database is busy or gone: try again next interval
                log.exception("announcing presence changes failed; retrying")

    async def _announce_unannounced(self) -> None:
        """One announcement of the current presence of every user whose presence changed."""
        user_ids, self._unannounced = sorted(self._unannounced), set()
        self._announced_at = time.monotonic()
        if not user_ids:
            return
        try:
            async with self.events.transaction() as tx:
                rows = await store.get_many(tx.session, user_ids)
                if len(rows) == 1:
                    [(user_id, row)] = rows.items()
                    await self._announce(tx, user_id, presence_out(row))
                elif rows:
                    changes = [
                        {"user_id": user_id, "presence": presence_out(rows[user_id]).model_dump()}
                        for user_id in user_ids
                        if user_id in rows
                    ]
                    watchers = await accounts_store.active_user_ids(tx.session)
                    tx.emit(watchers, "presence.batch", {"changes": changes})
        except BaseException:
            self._unannounced.update(user_ids)  # announced with the next turn
            raise

    async def _announce(self, tx: Transaction, user_id: str, presence: PresenceOut) -> None:
        watchers = await accounts_store.active_user_ids(tx.session)
        tx.emit(
            watchers, "presence.changed", {"user_id": user_id, "presence": presence.model_dump()}
        )
