"""Settings and avatar (SET-1…5, SET-7)."""

from __future__ import annotations

import asyncio

from teamline.accounts import store as accounts_store
from teamline.accounts.models import User
from teamline.accounts.service import AccountsService
from teamline.config import Settings
from teamline.core.errors import NotFound
from teamline.events.service import Events, Transaction
from teamline.settings import store
from teamline.settings.avatar import initials_svg, square_png
from teamline.settings.schemas import SettingsOut, SettingsPatch


class SettingsService:
    def __init__(self, events: Events, settings: Settings, accounts: AccountsService) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.accounts = accounts

    async def get(self, user_id: str) -> SettingsOut:
        async with self.db.read() as session:
            row = await store.get(session, user_id)
        if row is None:
            raise NotFound("No such user.")
        return SettingsOut.model_validate(row)

    async def update(self, user_id: str, patch: SettingsPatch) -> SettingsOut:
        """Apply the given fields; the user's other devices hear ``settings.changed``."""
        async with self.events.transaction() as tx:
            row = await store.get(tx.session, user_id)
            if row is None:
                raise NotFound("No such user.")
            for name, value in patch.model_dump(exclude_none=True).items():
                setattr(row, name, value)
            out = SettingsOut.model_validate(row)
            tx.emit([user_id], "settings.changed", {"settings": out.model_dump()})
        return out

    async def upload_avatar(self, user_id: str, data: bytes) -> int:
        """Check, square and store an uploaded picture; returns the new avatar version."""
        png = await asyncio.to_thread(square_png, data, max_pixels=self.settings.avatar_max_pixels)
        async with self.events.transaction() as tx:
            user = await self._user(tx, user_id)
            await store.put_avatar(tx.session, user_id, "image/png", png)
            return await self._bump(tx, user)

    async def generate_avatar(self, user_id: str) -> int:
        """Go back to the generated initials avatar."""
        async with self.events.transaction() as tx:
            user = await self._user(tx, user_id)
            await store.drop_avatar(tx.session, user_id)
            return await self._bump(tx, user)

    async def avatar(self, user_id: str) -> tuple[str, bytes, int]:
        """(media type, bytes, version) of a user's avatar."""
        async with self.db.read() as session:
            user = await accounts_store.user_by_id(session, user_id)
            if user is None or user.disabled:
                raise NotFound("No such user.")
            row = await store.avatar(session, user_id)
        if row is not None:
            return row.media_type, row.content, user.avatar_version
        return "image/svg+xml", initials_svg(user.id, user.display_name), user.avatar_version

    async def _user(self, tx: Transaction, user_id: str) -> User:
        user = await accounts_store.user_by_id(tx.session, user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    async def _bump(self, tx: Transaction, user: User) -> int:
        user.avatar_version += 1
        await self.accounts.announce_user(tx, user)
        return user.avatar_version
