"""Chat (CHAT-1…8): direct and group conversations, messages, read markers, receipts,
reactions, typing.

Every write runs in one transaction that also keeps the search index (source ``chat``,
visible through the scope token ``c<conversation id>``) and the members' unread counters in
step, and logs the events the members get:

    message.created / message.updated / message.deleted   every member
    conversation.read {conversation_id, up_to, unread, unread_total}   the reader's devices
    conversation.receipt {conversation_id, user_id, read_up_to, delivered_up_to}
                                                           the other members (small conversations)
    conversation.typing {conversation_id, user_id}         the other members
    conversation.updated (the conversation as the recipient sees it), conversation.removed

After commit the notifier (Web Push) hears of new messages and reads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store as accounts_store
from teamline.accounts.service import Principal
from teamline.chat import store
from teamline.chat.errors import (
    CannotChangeMessage,
    MessageIsEmpty,
    NoSuchConversation,
    NoSuchMessage,
    UnknownAttachments,
)
from teamline.chat.models import Attachment, Conversation, ConversationMember, Message, Reaction
from teamline.chat.schemas import (
    AttachmentOut,
    ConversationOut,
    ConversationsOut,
    MemberOut,
    MessageIn,
    MessageOut,
    MessagesOut,
    ReactionOut,
)
from teamline.config import Settings
from teamline.core.errors import InvalidInput, NotFound
from teamline.core.ids import new_id, utcnow
from teamline.events.service import Events, Transaction
from teamline.groups.models import Group
from teamline.search import index as search_index

log = logging.getLogger(__name__)

# Receipts are announced to the other members only in conversations up to this size; in
# bigger groups they would cost a log row per member per read, and clients ask for the
# markers (GET /conversations/{id}) when they show them.
RECEIPT_FANOUT_LIMIT = 50
TYPING_INTERVAL_SECONDS = 2.0
PAGE_MAX = 200


@dataclass(frozen=True)
class ConversationRef:
    """What a notifier needs to know of the conversation a message went to."""

    id: str
    kind: str
    title_for: dict[str, str]  # per recipient: the title that recipient sees
    muted_by: frozenset[str]
    author_name: str


class ChatNotifier(Protocol):
    async def message_created(
        self, message: MessageOut, conversation: ConversationRef, recipient_ids: list[str]
    ) -> None: ...

    async def conversation_read(
        self, user_id: str, conversation_id: str, unread_total: int
    ) -> None: ...


def direct_key(a: str, b: str) -> str:
    return ":".join(sorted((a, b)))


def search_document(message: Message, author_name: str) -> search_index.Document:
    return search_index.Document(
        source="chat",
        ref_id=message.id,
        scope=[f"c{message.conversation_id}"],
        title=author_name,
        subtitle=message.text[:120],
        text=[message.text],
        extra={"conversation_id": message.conversation_id, "message_id": message.id},
    )


class ChatService:
    def __init__(
        self, events: Events, settings: Settings, notifier: ChatNotifier | None = None
    ) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.notifier = notifier
        self._typing_at: dict[tuple[str, str], float] = {}

    # -- conversations ----------------------------------------------------------------
    async def open_direct(self, caller: Principal, user_id: str) -> tuple[ConversationOut, bool]:
        """The 1:1 conversation with ``user_id``, created when new (CHAT-1); idempotent."""
        if user_id == caller.user_id:
            raise InvalidInput(
                "Pick a colleague: a conversation with yourself is not possible.",
                details={"user_id": "is yourself"},
            )
        key = direct_key(caller.user_id, user_id)
        async with self.db.read() as session:
            existing = await store.direct_by_key(session, key)
            if existing is not None:
                return await self._out(session, existing, caller.user_id), False
        try:
            async with self.events.transaction() as tx:
                peer = await accounts_store.user_by_id(tx.session, user_id)
                if peer is None or peer.disabled:
                    raise NotFound("There is no such colleague.", details={"user_id": user_id})
                conv = Conversation(id=new_id(), kind="direct", direct_key=key)
                tx.session.add(conv)
                await tx.session.flush()
                await store.add_members(tx.session, conv.id, [caller.user_id, user_id])
                await self.announce_conversation(tx, conv, [caller.user_id, user_id])
                out = await self._out(tx.session, conv, caller.user_id)
        except IntegrityError:
            # Both opened it at the same moment: the other transaction created it.
            async with self.db.read() as session:
                existing = await store.direct_by_key(session, key)
                if existing is None:
                    raise
                return await self._out(session, existing, caller.user_id), False
        return out, True

    async def list_conversations(self, caller: Principal) -> ConversationsOut:
        async with self.db.read() as session:
            pairs = await store.memberships_of(session, caller.user_id)
            outs = await self._outs(session, [c for _, c in pairs], caller.user_id)
        return ConversationsOut(conversations=outs, unread_total=sum(o.unread for o in outs))

    async def get_conversation(self, caller: Principal, conversation_id: str) -> ConversationOut:
        async with self.db.read() as session:
            conv = await self._conversation_of(session, caller.user_id, conversation_id)
            return await self._out(session, conv, caller.user_id)

    async def set_muted(self, user_id: str, conversation_id: str, muted: bool) -> None:
        """Mute or unmute for one user (GRP-3): unread counts go on, notifications stop."""
        async with self.events.transaction() as tx:
            member = await self._member(tx.session, user_id, conversation_id)
            if member.muted == muted:
                return
            member.muted = muted
            conv = await store.conversation(tx.session, conversation_id)
            assert conv is not None
            await self.announce_conversation(tx, conv, [user_id])

    # -- messages ---------------------------------------------------------------------
    async def messages(
        self, caller: Principal, conversation_id: str, *, before: str | None, limit: int
    ) -> MessagesOut:
        """A page of history, oldest first (CHAT-6)."""
        async with self.db.read() as session:
            await self._conversation_of(session, caller.user_id, conversation_id)
            before_seq = None
            if before is not None:
                anchor = await store.message(session, before)
                if anchor is None or anchor.conversation_id != conversation_id:
                    raise NoSuchMessage("There is no such message in this conversation.")
                before_seq = anchor.seq
            rows = await store.messages_page(
                session, conversation_id, before_seq=before_seq, limit=min(limit, PAGE_MAX)
            )
            return MessagesOut(messages=await self._message_outs(session, rows))

    async def send(
        self, caller: Principal, conversation_id: str, body: MessageIn
    ) -> tuple[MessageOut, bool]:
        """Post a message; a retry with the same ``client_id`` answers the first one."""
        text = body.text.strip()
        if not text and not body.attachment_ids:
            raise MessageIsEmpty("Write a text or attach a file.", details={"text": "empty"})
        # A retry is recognised by the unique (author, client_id) constraint below rather
        # than by a look-up first: most sends are not retries, and a send is the hot path.
        try:
            async with self.events.transaction() as tx:
                now = utcnow()
                found = await store.start_send(tx.session, conversation_id, caller.user_id, now)
                if found is None:
                    raise NoSuchConversation("There is no such conversation.")
                seq, author_name, group_name = found.seq, found.author_name, found.group_name
                message = Message(
                    id=new_id(),
                    conversation_id=conversation_id,
                    seq=seq,
                    author_id=caller.user_id,
                    text=text,
                    client_id=body.client_id,
                    created_at=now,
                )
                await store.add_message(tx.session, message)
                attachments = await self._bind_attachments(
                    tx.session, caller.user_id, message, body.attachment_ids
                )
                had_unread = found.unread > 0
                members = await store.record_send(tx.session, conversation_id, caller.user_id, seq)
                if text:
                    await search_index.put_new(tx.session, search_document(message, author_name))
                out = message_out(message, [], attachments)
                recipients = [user_id for user_id, _ in members]
                tx.emit(recipients, "message.created", out.model_dump(mode="json"))
                if had_unread:
                    await self._announce_read(tx, caller.user_id, conversation_id, seq, message.id)
                ref = self._ref(conversation_id, caller.user_id, members, author_name, group_name)
        except IntegrityError:
            if body.client_id is None:
                raise
            # A retry (or the same client id sent twice at once): answer the first message.
            async with self.db.read() as session:
                earlier = await store.message_by_client_id(session, caller.user_id, body.client_id)
                if earlier is None:
                    raise
                return await self._earlier_send(session, caller, conversation_id, earlier)
        if self.notifier is not None:
            others = [user_id for user_id in recipients if user_id != caller.user_id]
            await self._notify(self.notifier.message_created(out, ref, others))
        return out, True

    async def _earlier_send(
        self, session: AsyncSession, caller: Principal, conversation_id: str, earlier: Message
    ) -> tuple[MessageOut, bool]:
        await self._conversation_of(session, caller.user_id, conversation_id)
        if earlier.conversation_id != conversation_id:
            raise InvalidInput(
                "This client_id was already used for a message in another conversation.",
                details={"client_id": "already used"},
            )
        return (await self._message_outs(session, [earlier]))[0], False

    async def edit(
        self, caller: Principal, conversation_id: str, message_id: str, text: str
    ) -> MessageOut:
        """Change the text of one's own message (CHAT-8)."""
        text = text.strip()
        if not text:
            raise MessageIsEmpty("The new text is empty.", details={"text": "empty"})
        async with self.events.transaction() as tx:
            message = await self._own_message(tx.session, caller, conversation_id, message_id)
            message.text = text
            message.edited_at = utcnow()
            await tx.session.flush()
            author = await accounts_store.user_by_id(tx.session, caller.user_id)
            await search_index.put(
                tx.session, search_document(message, author.display_name if author else "")
            )
            out = (await self._message_outs(tx.session, [message]))[0]
            tx.emit(
                await store.member_ids(tx.session, conversation_id),
                "message.updated",
                out.model_dump(mode="json"),
            )
        return out

    async def delete(self, caller: Principal, conversation_id: str, message_id: str) -> list[str]:
        """Delete one's own message: its text and files go, a placeholder stays in the history.

        Returns the ids of the attachments whose files are to be removed.
        """
        async with self.events.transaction() as tx:
            message = await self._own_message(tx.session, caller, conversation_id, message_id)
            message.text = ""
            message.deleted_at = utcnow()
            await tx.session.flush()
            gone = await store.detach_attachments(tx.session, message.id)
            await search_index.drop(tx.session, "chat", message.id)
            behind = await store.uncount_unread(tx.session, message)
            tx.emit(
                await store.member_ids(tx.session, conversation_id),
                "message.deleted",
                {"id": message.id, "conversation_id": conversation_id},
            )
            if behind:
                totals = await store.unread_totals(tx.session, [u for u, _, _ in behind])
                markers = await store.message_ids_at(
                    tx.session, {conversation_id: {seq for _, _, seq in behind}}
                )
                for user_id, unread, read_seq in behind:
                    tx.emit(
                        [user_id],
                        "conversation.read",
                        {
                            "conversation_id": conversation_id,
                            "up_to": markers.get((conversation_id, read_seq)),
                            "unread": unread,
                            "unread_total": totals[user_id],
                        },
                    )
        return gone

    async def react(
        self, caller: Principal, conversation_id: str, message_id: str, emoji: str, *, on: bool
    ) -> None:
        """Add or take back a reaction (CHAT-8); idempotent."""
        emoji = check_emoji(emoji)
        async with self.events.transaction() as tx:
            await self._member(tx.session, caller.user_id, conversation_id)
            message = await store.message(tx.session, message_id)
            if message is None or message.conversation_id != conversation_id:
                raise NoSuchMessage("There is no such message in this conversation.")
            if message.deleted_at is not None:
                raise CannotChangeMessage("A deleted message takes no reactions.")
            if not await store.set_reaction(tx.session, message.id, caller.user_id, emoji, on=on):
                return
            out = (await self._message_outs(tx.session, [message]))[0]
            tx.emit(
                await store.member_ids(tx.session, conversation_id),
                "message.updated",
                out.model_dump(mode="json"),
            )

    # -- markers ------------------------------------------------------------------------
    async def mark_read(self, caller: Principal, conversation_id: str, up_to: str) -> None:
        """Read up to a message: the unread count drops on all my devices (CHAT-5)."""
        async with self.events.transaction() as tx:
            member = await self._member(tx.session, caller.user_id, conversation_id)
            seq = await self._seq_in(tx.session, conversation_id, up_to)
            if seq <= member.read_seq:
                return
            member.read_seq = seq
            member.delivered_seq = max(member.delivered_seq, seq)
            member.unread = await store.unread_after(
                tx.session, conversation_id, caller.user_id, seq
            )
            await tx.session.flush()
            total = await self._announce_read(tx, caller.user_id, conversation_id, seq, up_to)
            await self._announce_receipt(tx, conversation_id, member)
        if self.notifier is not None:
            await self._notify(
                self.notifier.conversation_read(caller.user_id, conversation_id, total)
            )

    async def mark_delivered(self, caller: Principal, conversation_id: str, up_to: str) -> None:
        """A device of mine received messages up to ``up_to`` (delivery receipt, CHAT-8)."""
        async with self.events.transaction() as tx:
            member = await self._member(tx.session, caller.user_id, conversation_id)
            seq = await self._seq_in(tx.session, conversation_id, up_to)
            if seq <= member.delivered_seq:
                return
            member.delivered_seq = seq
            await tx.session.flush()
            await self._announce_receipt(tx, conversation_id, member)

    async def typing(self, user_id: str, conversation_id: str) -> None:
        """Tell the other members that ``user_id`` is typing; repeats within 2 s are dropped."""
        key = (user_id, conversation_id)
        now = time.monotonic()
        if now - self._typing_at.get(key, 0.0) < TYPING_INTERVAL_SECONDS:
            return
        self._typing_at[key] = now
        if len(self._typing_at) > 10_000:
            self._typing_at = {k: t for k, t in self._typing_at.items() if now - t < 10}
        async with self.db.read() as session:
            if await store.membership(session, conversation_id, user_id) is None:
                return  # not a member: nothing to tell, and nothing revealed
            others = [u for u in await store.member_ids(session, conversation_id) if u != user_id]
        if not others:
            return
        async with self.events.transaction() as tx:
            tx.emit(
                others,
                "conversation.typing",
                {"conversation_id": conversation_id, "user_id": user_id},
            )

    # -- for other domains --------------------------------------------------------------
    async def conversations_of(self, session: AsyncSession, user_id: str) -> list[str]:
        """The conversations ``user_id`` is in (search visibility)."""
        return await store.conversation_ids_of(session, user_id)

    async def unread_total(self, session: AsyncSession, user_id: str) -> int:
        return (await store.unread_totals(session, [user_id]))[user_id]

    async def conversation_outs(
        self, session: AsyncSession, user_id: str, conversations: Sequence[Conversation]
    ) -> list[ConversationOut]:
        return await self._outs(session, conversations, user_id)

    # -- helpers ----------------------------------------------------------------------
    async def _notify(self, call: object) -> None:
        try:
            await call  # type: ignore[misc]
        except Exception:  # a notification failure never fails the write that caused it
            log.exception("chat notifier failed")

    async def _conversation_of(
        self, session: AsyncSession, user_id: str, conversation_id: str
    ) -> Conversation:
        if await store.membership(session, conversation_id, user_id) is None:
            raise NoSuchConversation("There is no such conversation.")
        conv = await store.conversation(session, conversation_id)
        if conv is None:
            raise NoSuchConversation("There is no such conversation.")
        return conv

    async def _member(
        self, session: AsyncSession, user_id: str, conversation_id: str
    ) -> ConversationMember:
        member = await store.membership(session, conversation_id, user_id)
        if member is None:
            raise NoSuchConversation("There is no such conversation.")
        return member

    async def _seq_in(self, session: AsyncSession, conversation_id: str, message_id: str) -> int:
        message = await store.message(session, message_id)
        if message is None or message.conversation_id != conversation_id:
            raise NoSuchMessage(
                "There is no such message in this conversation.", details={"up_to": message_id}
            )
        return message.seq

    async def _own_message(
        self, session: AsyncSession, caller: Principal, conversation_id: str, message_id: str
    ) -> Message:
        await self._member(session, caller.user_id, conversation_id)
        message = await store.message(session, message_id, lock=True)
        if message is None or message.conversation_id != conversation_id:
            raise NoSuchMessage("There is no such message in this conversation.")
        if message.author_id != caller.user_id:
            raise CannotChangeMessage("Only its author can change or delete a message.")
        if message.deleted_at is not None:
            raise CannotChangeMessage("This message was deleted.")
        return message

    async def _bind_attachments(
        self, session: AsyncSession, user_id: str, message: Message, ids: Sequence[str]
    ) -> list[Attachment]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        found = await store.unsent_attachments(session, message.conversation_id, user_id, wanted)
        if len(found) != len(wanted):
            missing = sorted(set(wanted) - {a.id for a in found})
            raise UnknownAttachments(
                "Some attachments are unknown, already sent, or belong to another conversation;"
                " upload them again.",
                details={"attachment_ids": missing},
            )
        by_id = {a.id: a for a in found}
        ordered = [by_id[i] for i in wanted]
        for attachment in ordered:
            attachment.message_id = message.id
        await session.flush()
        return ordered

    async def _announce_read(
        self, tx: Transaction, user_id: str, conversation_id: str, seq: int, up_to: str
    ) -> int:
        total = await self.unread_total(tx.session, user_id)
        member = await store.membership(tx.session, conversation_id, user_id)
        tx.emit(
            [user_id],
            "conversation.read",
            {
                "conversation_id": conversation_id,
                "up_to": up_to,
                "unread": member.unread if member else 0,
                "unread_total": total,
            },
        )
        return total

    async def _announce_receipt(
        self, tx: Transaction, conversation_id: str, member: ConversationMember
    ) -> None:
        others = [
            u for u in await store.member_ids(tx.session, conversation_id) if u != member.user_id
        ]
        if not others or len(others) >= RECEIPT_FANOUT_LIMIT:
            return
        ids = await store.message_ids_at(
            tx.session, {conversation_id: {member.read_seq, member.delivered_seq}}
        )
        tx.emit(
            others,
            "conversation.receipt",
            {
                "conversation_id": conversation_id,
                "user_id": member.user_id,
                "read_up_to": ids.get((conversation_id, member.read_seq)),
                "delivered_up_to": ids.get((conversation_id, member.delivered_seq)),
            },
        )

    async def announce_conversation(
        self, tx: Transaction, conv: Conversation, user_ids: Sequence[str]
    ) -> None:
        """``conversation.updated`` to each of ``user_ids``, as each of them sees it.

        What all of them see is computed once; in large groups the events leave the member
        markers out (``members`` is empty, ``member_count`` tells the size): a group of n
        members would otherwise log n copies of an n-entry list.
        """
        views = await self._views(tx.session, [conv], full=False)
        for user_id in user_ids:
            out = views.render(conv, user_id, full=False)
            tx.emit([user_id], "conversation.updated", out.model_dump(mode="json"))

    @staticmethod
    def _ref(
        conversation_id: str,
        author_id: str,
        members: Sequence[tuple[str, bool]],
        author_name: str,
        group_name: str | None,
    ) -> ConversationRef:
        """How each recipient names the conversation: the group's name, or (a direct
        conversation) the author, the other person for everyone but the author."""
        recipients = [user_id for user_id, _ in members if user_id != author_id]
        return ConversationRef(
            id=conversation_id,
            kind="direct" if group_name is None else "group",
            title_for=dict.fromkeys(recipients, group_name or author_name),
            muted_by=frozenset(user_id for user_id, muted in members if muted),
            author_name=author_name,
        )

    async def _out(
        self, session: AsyncSession, conv: Conversation, user_id: str
    ) -> ConversationOut:
        views = await self._views(session, [conv], full=True)
        return views.render(conv, user_id, full=True)

    async def _outs(
        self, session: AsyncSession, convs: Sequence[Conversation], user_id: str
    ) -> list[ConversationOut]:
        views = await self._views(session, convs, full=False)
        return [views.render(conv, user_id, full=False) for conv in convs]

    async def _views(
        self, session: AsyncSession, convs: Sequence[Conversation], *, full: bool
    ) -> _Views:
        """Everything needed to show ``convs`` to any of their members, in a few queries."""
        ids = [c.id for c in convs]
        members = await store.members_of_many(session, ids)
        direct = [c.id for c in convs if c.kind == "direct"]
        lasts = await store.last_messages(session, convs)
        last_outs = await self._message_outs(session, list(lasts.values()))
        wanted = {
            c.id: {s for m in members[c.id] for s in (m.read_seq, m.delivered_seq)}
            for c in convs
            if full or len(members[c.id]) < RECEIPT_FANOUT_LIMIT
        }
        return _Views(
            members=members,
            groups=await store.groups_of(session, ids),
            names=await store.names(session, [m.user_id for c in direct for m in members[c]]),
            last=dict(zip(lasts, last_outs, strict=True)),
            markers=await store.message_ids_at(session, wanted),
        )

    async def _message_outs(
        self, session: AsyncSession, messages: Sequence[Message]
    ) -> list[MessageOut]:
        ids = [m.id for m in messages]
        reactions = await store.reactions_of(session, ids)
        attachments = await store.attachments_of(session, ids)
        return [message_out(m, reactions[m.id], attachments[m.id]) for m in messages]


@dataclass
class _Views:
    """What a set of conversations looks like, ready to render for any of their members."""

    members: dict[str, list[ConversationMember]]
    groups: dict[str, Group]
    names: dict[str, str]
    last: dict[str, MessageOut]
    markers: dict[tuple[str, int], str]

    def render(self, conv: Conversation, user_id: str, *, full: bool) -> ConversationOut:
        """``conv`` as ``user_id`` sees it; ``full`` lists every member's markers even in a
        large group (a list or an event leaves them out there)."""
        members = self.members[conv.id]
        mine = next((m for m in members if m.user_id == user_id), None)
        group = self.groups.get(conv.id)
        peer = (
            next((m.user_id for m in members if m.user_id != user_id), None)
            if conv.kind == "direct"
            else None
        )
        shown = members if full or len(members) < RECEIPT_FANOUT_LIMIT else []
        return ConversationOut(
            id=conv.id,
            kind="group" if conv.kind == "group" else "direct",
            title=group.name if group else self.names.get(peer or "", ""),
            unread=mine.unread if mine else 0,
            muted=mine.muted if mine else False,
            last_message=self.last.get(conv.id),
            group_id=group.id if group else None,
            peer_id=peer,
            member_count=len(members),
            members=[
                MemberOut(
                    user_id=m.user_id,
                    read_up_to=self.markers.get((conv.id, m.read_seq)),
                    delivered_up_to=self.markers.get((conv.id, m.delivered_seq)),
                )
                for m in shown
            ],
            last_activity_at=conv.last_activity_at,
        )


def message_out(
    message: Message, reactions: Sequence[Reaction], attachments: Sequence[Attachment]
) -> MessageOut:
    grouped: dict[str, list[str]] = {}
    for reaction in reactions:
        grouped.setdefault(reaction.emoji, []).append(reaction.user_id)
    deleted = message.deleted_at is not None
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        author_id=message.author_id,
        text="" if deleted else message.text,
        client_id=message.client_id,
        created_at=message.created_at,
        edited_at=message.edited_at,
        deleted=deleted,
        seq=message.seq,
        reactions=[ReactionOut(emoji=e, user_ids=u) for e, u in grouped.items()],
        attachments=[] if deleted else [attachment_out(a) for a in attachments],
    )


def attachment_out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.id,
        name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.size,
        image=attachment.width is not None,
        width=attachment.width,
        height=attachment.height,
    )


def check_emoji(emoji: str) -> str:
    """A reaction is one emoji (a short run of non-ASCII symbols, modifiers and joiners)."""
    if not 1 <= len(emoji) <= 16 or any(c.isspace() or c.isascii() for c in emoji):
        raise InvalidInput(
            "A reaction is one emoji, such as 👍.", details={"emoji": "not an emoji"}
        )
    return emoji
