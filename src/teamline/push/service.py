"""Web Push for chat (CHAT-3, CHAT-4): subscriptions per device, one push per new message.

The chat service tells us after commit (``message_created``, ``conversation_read``); we only
queue a job there, so sending never delays a message. One background task works the queue
in order, each job's devices in parallel: a push service that is slow or down costs that
job's time, never the sender's.

Rules for a new message: each recipient (the author is never one) who has not muted the
conversation and has no client in the foreground (``live_sockets.foreground``; that client
shows the message itself) gets one push per subscribed device. Pushes carry the
conversation id as ``Topic``, so a push service keeps only the newest per conversation for
an offline device, and a "read" push replaces a pending message push. A "read" push goes
only to devices that were pushed a message of that conversation since it was last read: the
others show nothing to close. A push service that answers 404 or 410 has dropped the
subscription; so do we.

Most users have no subscription, and most messages go to nobody with one: who was found
without one is remembered for NO_SUBSCRIPTION_SECONDS, so that a message to them reads
nothing. A subscription made on this node counts at once; one made through another node
within that time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.config import Settings
from teamline.core.db import Database
from teamline.core.ids import utcnow
from teamline.push import payloads, store
from teamline.push.models import PushSubscription
from teamline.push.schemas import SubscriptionIn
from teamline.push.webpush import Target, VapidSigner, deliver, new_key_pair

log = logging.getLogger(__name__)

MESSAGE_TTL_SECONDS = 24 * 3600
READ_TTL_SECONDS = 24 * 3600
QUEUE_LIMIT = 10_000
PARALLEL_SENDS = 16
SEND_TIMEOUT_SECONDS = 10.0
NO_SUBSCRIPTION_SECONDS = 5.0
NO_SUBSCRIPTION_LIMIT = 100_000

UnreadTotals = Callable[[AsyncSession, Sequence[str]], Awaitable[dict[str, int]]]


class ConversationRef(Protocol):
    """What the push service needs to know about the conversation of a new message
    (``teamline.chat`` passes its own frozen dataclass of this shape)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title_for(self) -> Mapping[str, str]: ...
    @property
    def muted_by(self) -> frozenset[str]: ...
    @property
    def author_name(self) -> str: ...


@dataclass(frozen=True)
class _MessageJob:
    message: Mapping[str, Any]
    conversation: ConversationRef
    recipient_ids: tuple[str, ...]


@dataclass(frozen=True)
class _ReadJob:
    user_id: str
    conversation_id: str
    unread_total: int


async def _no_unread(_session: AsyncSession, user_ids: Sequence[str]) -> dict[str, int]:
    return dict.fromkeys(user_ids, 0)


def _target(row: PushSubscription) -> Target:
    return Target(
        device_id=row.device_id,
        user_id=row.user_id,
        endpoint=row.endpoint,
        p256dh=row.p256dh,
        auth=row.auth,
    )


class PushService:
    def __init__(
        self, db: Database, settings: Settings, unread_totals: UnreadTotals = _no_unread
    ) -> None:
        self.db = db
        self.settings = settings
        # The chat domain knows unread counts (the badge in each push); the container hands
        # its query over.
        self.unread_totals = unread_totals
        self._signer: VapidSigner | None = None
        self._key_lock = asyncio.Lock()
        self._queue: asyncio.Queue[_MessageJob | _ReadJob] = asyncio.Queue(QUEUE_LIMIT)
        self._worker: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        # User id -> time.monotonic() until which the user is known to have no subscription.
        self._unsubscribed: dict[str, float] = {}
        self._subscribes = 0  # subscriptions made on this node so far

    @property
    def _stale_after(self) -> timedelta:
        return timedelta(seconds=self.settings.node_heartbeat_seconds * 3)

    @property
    def subject(self) -> str:
        """The VAPID ``sub``: ``TEAMLINE_PUSH_SUBJECT``, else derived from the public URL."""
        if self.settings.push_subject:
            return self.settings.push_subject
        if self.settings.public_url.startswith("https://"):
            return self.settings.public_url
        return f"mailto:admin@{urlsplit(self.settings.public_url).hostname or 'localhost'}"

    # -- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Make sure the VAPID key exists (the first node to start creates it); start sending."""
        await self._vapid()
        self._client = httpx.AsyncClient(timeout=SEND_TIMEOUT_SECONDS)
        self._worker = asyncio.create_task(self._work(), name="push-sender")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def drained(self) -> None:
        """Wait until every push queued so far has been sent (or given up on)."""
        await self._queue.join()

    # -- the API ------------------------------------------------------------------------

    async def public_key(self) -> str:
        """The application server key browsers subscribe with (base64url)."""
        return (await self._vapid()).public_key

    async def subscribe(self, user_id: str, device_id: str, body: SubscriptionIn) -> None:
        """Store (or replace) the calling device's subscription."""
        self._subscribes += 1
        self._unsubscribed.pop(user_id, None)
        async with self.db.write() as session:
            await store.put_subscription(
                session,
                user_id=user_id,
                device_id=device_id,
                endpoint=str(body.endpoint),
                p256dh=body.keys.p256dh,
                auth=body.keys.auth,
            )

    async def unsubscribe(self, device_id: str) -> None:
        async with self.db.write() as session:
            await store.delete_subscription(session, device_id)

    # -- the chat notifier --------------------------------------------------------------

    async def message_created(
        self,
        message: Mapping[str, Any] | BaseModel,
        conversation: ConversationRef,
        recipient_ids: list[str],
    ) -> None:
        """Queue the pushes for a new message (called by chat after commit)."""
        data = message.model_dump(mode="json") if isinstance(message, BaseModel) else message
        self._enqueue(_MessageJob(data, conversation, tuple(recipient_ids)))

    async def conversation_read(
        self, user_id: str, conversation_id: str, unread_total: int
    ) -> None:
        """Queue a "read" push to the user's devices: they close that conversation's
        notification and show the new unread total."""
        self._enqueue(_ReadJob(user_id, conversation_id, unread_total))

    def _enqueue(self, job: _MessageJob | _ReadJob) -> None:
        if self._worker is None:
            return  # not started (CLI, tools): nobody to send
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            log.warning("push queue full: a push was dropped")

    # -- sending ------------------------------------------------------------------------

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                if isinstance(job, _MessageJob):
                    await self._send_message(job)
                else:
                    await self._send_read(job)
            except Exception:  # one bad job must not stop the sender
                log.exception("push job failed")
            finally:
                self._queue.task_done()

    async def _send_message(self, job: _MessageJob) -> None:
        conversation = job.conversation
        author_id = str(job.message.get("author_id", ""))
        wanted = [
            user_id
            for user_id in dict.fromkeys(job.recipient_ids)
            if user_id != author_id and user_id not in conversation.muted_by
        ]
        now = time.monotonic()
        wanted = [user_id for user_id in wanted if self._unsubscribed.get(user_id, 0.0) < now]
        if not wanted:
            return
        subscribes = self._subscribes
        async with self.db.read() as session:
            # Subscriptions first: most messages go to nobody with one, and then nothing
            # else needs asking.
            targets = await self._targets(session, wanted)
            if subscribes == self._subscribes:  # no subscription came in meanwhile
                self._remember_unsubscribed(set(wanted) - {t.user_id for t in targets})
            if not targets:
                return
            fresh_after = utcnow() - self._stale_after
            watching = await store.in_foreground(
                session, sorted({t.user_id for t in targets}), fresh_after=fresh_after
            )
            targets = [target for target in targets if target.user_id not in watching]
            totals = await self.unread_totals(
                session, sorted({target.user_id for target in targets})
            )
        group = conversation.kind == "group"
        body = payloads.message_body(job.message, author_name=conversation.author_name, group=group)
        messages = {
            user_id: payloads.message_payload(
                job.message,
                title=conversation.title_for.get(user_id) or conversation.author_name,
                body=body,
                unread_total=total,
            )
            for user_id, total in totals.items()
        }
        delivered = await self._deliver_all(
            [(target, messages[target.user_id]) for target in targets],
            ttl=MESSAGE_TTL_SECONDS,
            topic=conversation.id,
            urgency="high",
        )
        if delivered:
            async with self.db.write() as session:
                await store.mark_notified(
                    session, [target.device_id for target in delivered], conversation.id
                )

    async def _send_read(self, job: _ReadJob) -> None:
        # Only devices that were pushed a message of the conversation have one to close.
        async with self.db.write() as session:
            targets = [
                _target(row)
                for row in await store.take_notified(session, job.user_id, job.conversation_id)
            ]
        payload = payloads.read_payload(job.conversation_id, unread_total=job.unread_total)
        await self._deliver_all(
            [(target, payload) for target in targets],
            ttl=READ_TTL_SECONDS,
            topic=job.conversation_id,
            urgency="normal",
        )

    def _remember_unsubscribed(self, user_ids: set[str]) -> None:
        if len(self._unsubscribed) + len(user_ids) > NO_SUBSCRIPTION_LIMIT:
            self._unsubscribed.clear()
        until = time.monotonic() + NO_SUBSCRIPTION_SECONDS
        for user_id in user_ids:
            self._unsubscribed[user_id] = until

    async def _targets(self, session: AsyncSession, user_ids: Sequence[str]) -> list[Target]:
        if not user_ids:
            return []
        return [_target(row) for row in await store.subscriptions(session, user_ids)]

    async def _deliver_all(
        self, sends: list[tuple[Target, bytes]], *, ttl: int, topic: str, urgency: str
    ) -> list[Target]:
        """Send each push; returns the targets whose push service accepted it."""
        if not sends or self._client is None:
            return []
        client, signer = self._client, await self._vapid()
        limit = asyncio.Semaphore(PARALLEL_SENDS)
        expired: list[Target] = []
        delivered: list[Target] = []

        async def one(target: Target, payload: bytes) -> None:
            async with limit:
                try:
                    status = await deliver(
                        client, signer, target, payload, ttl=ttl, topic=topic, urgency=urgency
                    )
                except httpx.HTTPError as exc:
                    log.warning("push to %s failed: %s", urlsplit(target.endpoint).netloc, exc)
                    return
            if status < 300:
                delivered.append(target)
            elif status in (404, 410):
                expired.append(target)
            elif status >= 400:
                log.warning("push service %s answered %d", urlsplit(target.endpoint).netloc, status)

        await asyncio.gather(*(one(target, payload) for target, payload in sends))
        if expired:
            async with self.db.write() as session:
                for target in expired:
                    await store.delete_subscription(
                        session, target.device_id, endpoint=target.endpoint
                    )
        return delivered

    async def _vapid(self) -> VapidSigner:
        if self._signer is not None:
            self._signer.subject = self.subject
            return self._signer
        async with self._key_lock:
            if self._signer is None:
                self._signer = VapidSigner(await self._load_or_create_key(), self.subject)
        return self._signer

    async def _load_or_create_key(self) -> str:
        async with self.db.read() as session:
            row = await store.vapid_key(session)
        if row is not None:
            return row.private_pem
        private_pem, public_key = new_key_pair()
        try:
            async with self.db.write() as session:
                await store.add_vapid_key(session, private_pem=private_pem, public_key=public_key)
        except IntegrityError:
            pass  # another node created it in the meantime: use theirs
        else:
            log.info("created the VAPID key pair for Web Push")
            return private_pem
        async with self.db.read() as session:
            row = await store.vapid_key(session)
        if row is None:
            raise RuntimeError("the VAPID key vanished")
        return row.private_pem
