"""Groups (GRP-1…4): permanent, created by anyone, with a name, a picture and members.

A group's members are the members of its conversation. Any member may rename it, change its
picture and add colleagues; members leave by themselves; removing someone else or deleting
the group is for its creator or an administrator. When the last member leaves, the group
and its history are gone.

Events: ``group.updated`` (the group) to every member and ``conversation.updated`` (as each
member sees it); ``group.deleted {id, conversation_id}`` and ``conversation.removed
{conversation_id}`` to whoever no longer sees it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts.service import Principal
from teamline.chat import store as chat_store
from teamline.chat.attachments import AttachmentService
from teamline.chat.models import Conversation
from teamline.chat.service import ChatService
from teamline.config import Settings
from teamline.core.errors import InvalidInput
from teamline.core.ids import new_id
from teamline.events.service import Events, Transaction
from teamline.groups import store
from teamline.groups.errors import GroupTooLarge, NoSuchGroup, NotGroupOwner
from teamline.groups.models import Group
from teamline.groups.schemas import GroupIn, GroupOut
from teamline.search import index as search_index
from teamline.settings.avatar import square_png


class GroupService:
    def __init__(
        self,
        events: Events,
        settings: Settings,
        chat: ChatService,
        attachments: AttachmentService,
    ) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.chat = chat
        self.attachments = attachments

    async def create(self, caller: Principal, body: GroupIn) -> GroupOut:
        """A new group with the caller and ``member_ids`` in it (GRP-1)."""
        wanted = list(dict.fromkeys([caller.user_id, *body.member_ids]))
        self._check_size(len(wanted))
        async with self.events.transaction() as tx:
            await self._check_users(tx.session, wanted)
            conv = Conversation(id=new_id(), kind="group")
            tx.session.add(conv)
            await tx.session.flush()
            group = Group(
                id=new_id(), name=body.name, conversation_id=conv.id, created_by=caller.user_id
            )
            tx.session.add(group)
            await tx.session.flush()
            await chat_store.add_members(tx.session, conv.id, wanted)
            await search_index.put(tx.session, search_document(group))
            out = await self._announce(tx, group, conv, wanted)
        return out.model_copy(update={"muted": False})

    async def of_user(self, caller: Principal) -> list[GroupOut]:
        async with self.db.read() as session:
            groups = await store.groups_of(session, caller.user_id)
            members = await chat_store.members_of_many(session, [g.conversation_id for g in groups])
        return [
            group_out(
                g,
                [m.user_id for m in members[g.conversation_id]],
                muted=any(
                    m.muted for m in members[g.conversation_id] if m.user_id == caller.user_id
                ),
            )
            for g in groups
        ]

    async def get(self, caller: Principal, group_id: str) -> GroupOut:
        async with self.db.read() as session:
            group = await self._group(session, caller, group_id)
            return await self._out(session, group, caller.user_id)

    async def rename(self, caller: Principal, group_id: str, name: str) -> GroupOut:
        """Rename (GRP-2); any member may."""
        async with self.events.transaction() as tx:
            group = await self._group(tx.session, caller, group_id, lock=True)
            if group.name != name:
                group.name = name
                await tx.session.flush()
                await search_index.put(tx.session, search_document(group))
                await self._announce_change(tx, group)
            return await self._out(tx.session, group, caller.user_id)

    async def set_picture(self, caller: Principal, group_id: str, data: bytes) -> GroupOut:
        """A new picture, checked and squared like an avatar (GRP-2)."""
        png = square_png(data, max_pixels=self.settings.avatar_max_pixels)
        async with self.events.transaction() as tx:
            group = await self._group(tx.session, caller, group_id, lock=True)
            group.picture = png
            group.picture_version += 1
            await tx.session.flush()
            await self._announce_change(tx, group)
            return await self._out(tx.session, group, caller.user_id)

    async def picture(self, caller: Principal, group_id: str) -> bytes:
        async with self.db.read() as session:
            group = await self._group(session, caller, group_id)
            if group.picture is None:
                raise NoSuchGroup("This group has no picture.")
            return group.picture

    async def add_member(self, caller: Principal, group_id: str, user_id: str) -> None:
        """Add a colleague (GRP-2); any member may. Idempotent."""
        async with self.events.transaction() as tx:
            group = await self._group(tx.session, caller, group_id, lock=True)
            members = await chat_store.member_ids(tx.session, group.conversation_id)
            if user_id in members:
                return
            self._check_size(len(members) + 1)
            await self._check_users(tx.session, [user_id])
            conv = await chat_store.conversation(tx.session, group.conversation_id)
            assert conv is not None
            # The newcomer sees the history but starts with nothing unread.
            await chat_store.add_members(tx.session, conv.id, [user_id], read_seq=conv.last_seq)
            await self._announce(tx, group, conv, [*members, user_id])

    async def remove_member(self, caller: Principal, group_id: str, user_id: str) -> None:
        """Leave (oneself) or remove someone (creator or admin); the last one out deletes it."""
        removed_files: list[str] = []
        async with self.events.transaction() as tx:
            group = await self._group(tx.session, caller, group_id, lock=True)
            if user_id != caller.user_id:
                self._check_owner(caller, group)
            members = await chat_store.member_ids(tx.session, group.conversation_id)
            if user_id not in members:
                return
            remaining = [m for m in members if m != user_id]
            if not remaining:
                removed_files = await self._delete(tx, group, members)
                return
            await chat_store.remove_member(tx.session, group.conversation_id, user_id)
            self._tell_gone(tx, group, [user_id])
            conv = await chat_store.conversation(tx.session, group.conversation_id)
            assert conv is not None
            await self._announce(tx, group, conv, remaining)
        self.attachments.remove_files(removed_files)

    async def delete(self, caller: Principal, group_id: str) -> None:
        """Delete the group and its history (creator or admin)."""
        async with self.events.transaction() as tx:
            group = await self._group(tx.session, caller, group_id, lock=True)
            self._check_owner(caller, group)
            members = await chat_store.member_ids(tx.session, group.conversation_id)
            removed_files = await self._delete(tx, group, members)
        self.attachments.remove_files(removed_files)

    async def set_muted(self, caller: Principal, group_id: str, muted: bool) -> None:
        """Mute the group's notifications for the caller (GRP-3)."""
        async with self.db.read() as session:
            group = await self._group(session, caller, group_id)
        await self.chat.set_muted(caller.user_id, group.conversation_id, muted)

    # -- helpers ----------------------------------------------------------------------
    def _check_size(self, count: int) -> None:
        limit = self.settings.group_max_members
        if count > limit:
            raise GroupTooLarge(
                f"A group can have at most {limit} members.", details={"member_ids": "too many"}
            )

    def _check_owner(self, caller: Principal, group: Group) -> None:
        if not (caller.is_admin or group.created_by == caller.user_id):
            raise NotGroupOwner("Only the group's creator or an administrator may do this.")

    async def _check_users(self, session: AsyncSession, user_ids: Sequence[str]) -> None:
        active = await store.active_users(session, user_ids)
        unknown = [u for u in user_ids if u not in active]
        if unknown:
            raise InvalidInput(
                "Some members are not colleagues of this system (unknown or disabled).",
                details={"member_ids": unknown},
            )

    async def _group(
        self, session: AsyncSession, caller: Principal, group_id: str, *, lock: bool = False
    ) -> Group:
        group = await store.group(session, group_id, lock=lock)
        if group is None or (
            await chat_store.membership(session, group.conversation_id, caller.user_id) is None
        ):
            raise NoSuchGroup("There is no such group.")
        return group

    async def _out(self, session: AsyncSession, group: Group, user_id: str) -> GroupOut:
        members = await chat_store.members(session, group.conversation_id)
        mine = next((m for m in members if m.user_id == user_id), None)
        return group_out(group, [m.user_id for m in members], muted=bool(mine and mine.muted))

    async def _announce(
        self, tx: Transaction, group: Group, conv: Conversation, member_ids: Sequence[str]
    ) -> GroupOut:
        out = group_out(group, list(member_ids), muted=False)
        tx.emit(member_ids, "group.updated", out.model_dump(mode="json"))
        await self.chat.announce_conversation(tx, conv, member_ids)
        return out

    async def _announce_change(self, tx: Transaction, group: Group) -> None:
        conv = await chat_store.conversation(tx.session, group.conversation_id)
        assert conv is not None
        await self._announce(
            tx, group, conv, await chat_store.member_ids(tx.session, group.conversation_id)
        )

    def _tell_gone(self, tx: Transaction, group: Group, user_ids: Sequence[str]) -> None:
        tx.emit(
            user_ids, "group.deleted", {"id": group.id, "conversation_id": group.conversation_id}
        )
        tx.emit(user_ids, "conversation.removed", {"conversation_id": group.conversation_id})

    async def _delete(self, tx: Transaction, group: Group, members: Sequence[str]) -> list[str]:
        files = await chat_store.attachment_ids_of_conversation(tx.session, group.conversation_id)
        token = search_index.scope_tokens("chat", [f"c{group.conversation_id}"])[0]
        await search_index.drop_scope(tx.session, token)
        await search_index.drop(tx.session, "contact", group.id)
        await store.delete_group(tx.session, group.id)
        await chat_store.delete_conversation(tx.session, group.conversation_id)
        self._tell_gone(tx, group, members)
        return files


def search_document(group: Group) -> search_index.Document:
    """The group as a contact its members find (SRCH-1); its action opens the chat."""
    return search_index.Document(
        source="contact",
        ref_id=group.id,
        scope=[f"c{group.conversation_id}"],
        title=group.name,
        subtitle="",
        extra={"conversation_id": group.conversation_id, "action": "chat", "kind": "group"},
    )


def group_out(group: Group, member_ids: list[str], *, muted: bool) -> GroupOut:
    return GroupOut(
        id=group.id,
        name=group.name,
        conversation_id=group.conversation_id,
        member_ids=member_ids,
        created_by=group.created_by,
        created_at=group.created_at,
        has_picture=group.picture is not None,
        picture_version=group.picture_version,
        muted=muted,
    )
