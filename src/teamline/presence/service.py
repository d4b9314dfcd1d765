"""Presence: the state a user chose, combined with what their live clients report (CONT-1…3).

``online`` is true while any of the user's devices holds an event socket on any node;
``auto_away`` while all of those sockets report idle. Both are derived from the
``live_sockets`` table and published as ``presence.changed`` only when they change.
"""

from __future__ import annotations

from collections.abc import Sequence
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
            await self._recompute(tx, user_id)

    async def socket_closed(self, socket_id: str) -> None:
        async with self.events.transaction() as tx:
            user_id = await store.remove_socket(tx.session, socket_id)
            if user_id is not None:
                await self._recompute(tx, user_id)

    async def client_state(self, socket_id: str, *, idle: bool, foreground: bool) -> None:
        """A client reported idleness/visibility (``client.state`` frame)."""
        async with self.events.transaction() as tx:
            user_id = await store.set_socket_state(
                tx.session, socket_id, idle=idle, foreground=foreground
            )
            if user_id is not None:
                await self._recompute(tx, user_id)

    async def heartbeat(self) -> None:
        """Keep this node's sockets fresh; forget those of nodes that stopped reporting."""
        async with self.events.transaction() as tx:
            await store.touch_node(tx.session, self.node_id)
            gone = await store.remove_stale(tx.session, seen_before=utcnow() - self._stale_after)
            for user_id in gone:
                await self._recompute(tx, user_id)

    async def node_stopped(self) -> None:
        async with self.events.transaction() as tx:
            for user_id in await store.remove_node(tx.session, self.node_id):
                await self._recompute(tx, user_id)

    async def _recompute(self, tx: Transaction, user_id: str) -> None:
        row = await store.get(tx.session, user_id, lock=True)
        if row is None:
            return
        sockets = await store.live_sockets(
            tx.session, user_id, fresh_after=utcnow() - self._stale_after
        )
        online = bool(sockets)
        auto_away = online and all(s.idle for s in sockets)
        if (online, auto_away) == (row.online, row.auto_away):
            return
        row.online, row.auto_away, row.updated_at = online, auto_away, utcnow()
        await self._announce(tx, user_id, presence_out(row))

    async def _announce(self, tx: Transaction, user_id: str, presence: PresenceOut) -> None:
        watchers = await accounts_store.active_user_ids(tx.session)
        tx.emit(
            watchers, "presence.changed", {"user_id": user_id, "presence": presence.model_dump()}
        )
