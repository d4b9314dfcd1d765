"""Pairing a mobile by QR code (PAIR-1…5).

A pairing is a small state machine: *open* → *used* (redeemed once), *open* → *superseded*
(regenerated), *open* → *expired* (time). Only an open code can be redeemed. The code itself
(≥128 bits) travels in the URL fragment; the database finds it by its SHA-256.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store as accounts_store
from teamline.accounts.errors import AccountDisabled
from teamline.accounts.schemas import SessionOut
from teamline.accounts.secrets import token_hash
from teamline.accounts.service import AccountsService, Principal, device_out
from teamline.config import Settings
from teamline.core.errors import Forbidden, NotFound
from teamline.core.ids import utcnow
from teamline.core.phone import to_e164
from teamline.events.service import Events
from teamline.pairing import store
from teamline.pairing.errors import (
    PairingCodeExpired,
    PairingCodeUnknown,
    PairingCodeUsed,
    PasswordRequired,
)
from teamline.pairing.models import Pairing
from teamline.pairing.qr import qr_png, qr_svg
from teamline.pairing.schemas import PairingOut, RedeemIn


class PairingService:
    def __init__(self, events: Events, settings: Settings, accounts: AccountsService) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.accounts = accounts

    async def start(self, principal: Principal, password: str) -> PairingOut:
        """Self-pairing (PAIR-1): the password is asked again; needs may-pair-self."""
        async with self.db.read() as session:
            user = await accounts_store.user_by_id(session, principal.user_id)
        if user is None or not user.may_pair_self:
            raise Forbidden(
                "You may not pair a mobile yourself; ask your administrator to pair it for you."
            )
        await self.accounts.verify_password(principal.user_id, password)
        return await self._open(
            user_id=principal.user_id, created_by=principal.user_id, confirmed_at=utcnow()
        )

    async def start_for(self, admin: Principal, user_id: str, password: str) -> PairingOut:
        """An admin pairs on a user's behalf (PAIR-5), confirming with the admin's password."""
        admin.require_admin()
        async with self.db.read() as session:
            user = await accounts_store.user_by_id(session, user_id)
        if user is None:
            raise NotFound("No such user.")
        await self.accounts.verify_password(admin.user_id, password)
        return await self._open(user_id=user_id, created_by=admin.user_id, confirmed_at=utcnow())

    async def regenerate(self, principal: Principal, pairing_id: str) -> PairingOut:
        """A new code for the same pairing; the old one stops working at once (PAIR-2)."""
        async with self.events.transaction() as tx:
            old = await self._visible(tx.session, principal, pairing_id, lock=True)
            window = timedelta(seconds=self.settings.pairing_regenerate_window_seconds)
            if utcnow() - old.password_confirmed_at > window:
                raise PasswordRequired("Enter your password again to show a new code.")
            if old.used_at is None and old.superseded_at is None:
                old.superseded_at = utcnow()
                old.code = None
            new, code = self._new_pairing(old.user_id, old.created_by, old.password_confirmed_at)
            await store.add(tx.session, new)
            return self._out(new, code)

    async def qr(self, principal: Principal, pairing_id: str, *, kind: str) -> bytes:
        async with self.db.read() as session:
            pairing = await self._visible(session, principal, pairing_id)
        if pairing.code is None:
            raise PairingCodeExpired("This code was used or replaced; show a new one.")
        url = self.url(pairing.code)
        return qr_svg(url) if kind == "svg" else qr_png(url)

    async def redeem(self, data: RedeemIn) -> SessionOut:
        """The mobile's side (PAIR-3): trade the code for a device session of its own."""
        async with self.events.transaction() as tx:
            pairing = await store.by_code_hash(tx.session, token_hash(data.code.strip()))
            if pairing is None:
                raise PairingCodeUnknown("This pairing code is unknown. Scan the QR code again.")
            if pairing.used_at is not None:
                raise PairingCodeUsed("This pairing code was used already. Show a new one.")
            if pairing.superseded_at is not None or pairing.expires_at <= utcnow():
                raise PairingCodeExpired("This pairing code has expired. Show a new one.")
            user = await accounts_store.user_by_id(tx.session, pairing.user_id)
            if user is None:
                raise PairingCodeUnknown("This pairing code is unknown. Scan the QR code again.")
            if user.disabled:
                raise AccountDisabled("This account is disabled; ask your administrator.")
            # Validate before using the code up: a typo in the number must not burn it.
            number_given = "mobile_number" in data.model_fields_set
            mobile = to_e164(data.mobile_number, region=self.settings.default_region)
            token, device = await self.accounts.issue_device(
                tx, user.id, "mobile", data.device_name or "Mobile"
            )
            pairing.used_at = utcnow()
            pairing.code = None
            pairing.device_id = device.id
            if number_given and mobile != user.mobile_number:
                user.mobile_number = mobile
                await self.accounts.announce_user(tx, user)
            tx.emit(
                [user.id],
                "device.paired",
                {
                    "pairing_id": pairing.id,
                    "device": device_out(device, current=False).model_dump(mode="json"),
                },
            )
            return await self.accounts.session_out(tx.session, user, token, device)

    def url(self, code: str) -> str:
        return f"{self.settings.public_url}/pair#{code}"

    async def _open(self, *, user_id: str, created_by: str, confirmed_at: datetime) -> PairingOut:
        async with self.db.write() as session:
            pairing, code = self._new_pairing(user_id, created_by, confirmed_at)
            await store.add(session, pairing)
            return self._out(pairing, code)

    def _new_pairing(
        self, user_id: str, created_by: str, confirmed_at: datetime
    ) -> tuple[Pairing, str]:
        code = secrets.token_urlsafe(24)  # 192 bits
        now = utcnow()
        pairing = Pairing(
            user_id=user_id,
            created_by=created_by,
            code_hash=token_hash(code),
            code=code,
            created_at=now,
            expires_at=now + timedelta(seconds=self.settings.pairing_ttl_seconds),
            password_confirmed_at=confirmed_at,
        )
        return pairing, code

    def _out(self, pairing: Pairing, code: str) -> PairingOut:
        return PairingOut(id=pairing.id, url=self.url(code), expires_at=pairing.expires_at)

    async def _visible(
        self, session: AsyncSession, principal: Principal, pairing_id: str, *, lock: bool = False
    ) -> Pairing:
        pairing = await store.by_id(session, pairing_id, lock=lock)
        if pairing is None or principal.user_id not in (pairing.user_id, pairing.created_by):
            raise NotFound("No such pairing.")
        return pairing
