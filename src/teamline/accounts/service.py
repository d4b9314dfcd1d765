"""Accounts: users, sign-in, device sessions, passwords (PAIR-6, PAIR-7, SET-6, ADM-1)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.accounts import store
from teamline.accounts.errors import (
    AccountDisabled,
    ExtensionTaken,
    InvalidCredentials,
    LoginTaken,
    PasswordManagedExternally,
)
from teamline.accounts.models import Device, User
from teamline.accounts.schemas import (
    AdminUserOut,
    DeviceOut,
    MeOut,
    Permissions,
    SessionOut,
    UserCreateIn,
    UserOut,
    UserPatchIn,
)
from teamline.accounts.secrets import PasswordHashing, new_token, token_hash
from teamline.config import Settings
from teamline.core.errors import Forbidden, InvalidInput, NotFound, TooManyAttempts, Unauthenticated
from teamline.core.ids import utcnow
from teamline.core.phone import to_e164
from teamline.events.service import Events, Transaction
from teamline.presence import store as presence_store
from teamline.presence.schemas import PresenceOut
from teamline.presence.service import PresenceService
from teamline.search import index as search_index
from teamline.settings import store as settings_store
from teamline.settings.schemas import SettingsOut

# Fields an admin may clear by sending null (or "").
CLEARABLE = frozenset({"email", "mobile_number", "extension"})
# last_seen_at is written at most this often per device, not on every request.
SEEN_RESOLUTION = timedelta(minutes=1)
# A token's principal is remembered this long, so that a busy client's requests read the
# devices table once in a while instead of each time. This node forgets at once when it
# signs a device out, disables, deletes or changes a user, and every node forgets when it
# hears of such a change on the bus (SESSION_FACTS); a change that publishes nothing (e.g.
# a direct database edit) takes effect within this time at most.
TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_LIMIT = 10_000
# Facts after which a remembered principal may be wrong (heard from every node).
SESSION_FACTS = ("device.revoked", "user.removed", "user.updated")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user and the device (session) the token belongs to."""

    user_id: str
    device_id: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Only administrators may do this.")


@dataclass
class _KnownToken:
    principal: Principal
    seen_at: datetime  # the device's last_seen_at as last read or written
    until: float  # time.monotonic() after which the database is asked again


class AccountsService:
    def __init__(
        self,
        events: Events,
        settings: Settings,
        hashing: PasswordHashing,
        presence: PresenceService,
    ) -> None:
        self.events = events
        self.db = events.db
        self.settings = settings
        self.hashing = hashing
        self.presence = presence
        # By token hash: the principals of tokens seen in the last TOKEN_CACHE_SECONDS.
        self._known: dict[str, _KnownToken] = {}
        # Bumped whenever sessions change: a look-up that began before is not remembered.
        self._generation = 0
        # Changes in progress: while any runs, every token is looked up in the database.
        self._changing = 0
        # Another node's (or this node's) change: forget before the hub tells the sockets.
        events.bus.watch(SESSION_FACTS, lambda _message: self._forget_tokens())

    # -- sessions ---------------------------------------------------------------------
    async def authenticate(self, token: str | None) -> Principal:
        """The principal of a bearer token; Unauthenticated if it is unknown or revoked."""
        if not token:
            raise Unauthenticated("Sign in first: this request carries no token.")
        digest = token_hash(token)
        known = self._known.get(digest) if not self._changing else None
        if known is None or known.until < time.monotonic():
            known = await self._look_up(digest)
        now = utcnow()
        if now - known.seen_at > SEEN_RESOLUTION:
            async with self.db.write() as session:
                await store.touch_device(session, known.principal.device_id, now)
            known.seen_at = now
        return known.principal

    async def _look_up(self, digest: str) -> _KnownToken:
        generation = self._generation
        async with self.db.read() as session:
            found = await store.device_by_token_hash(session, digest)
        if found is None:
            raise Unauthenticated("The token is not valid; sign in again.")
        device, user = found
        if device.revoked_at is not None:
            raise Unauthenticated("This device was signed out or unpaired; sign in again.")
        if user.disabled:
            raise Unauthenticated("The account is disabled.")
        known = _KnownToken(
            Principal(user_id=user.id, device_id=device.id, role=user.role),
            seen_at=device.last_seen_at,
            until=time.monotonic() + TOKEN_CACHE_SECONDS,
        )
        if generation == self._generation and not self._changing:
            if len(self._known) >= TOKEN_CACHE_LIMIT:
                self._known.clear()
            self._known[digest] = known
        return known

    @contextmanager
    def _sessions_change(self) -> Iterator[None]:
        """Around a write that may end sessions or change who a principal is: no token is
        answered from memory from its start until it has committed (or failed)."""
        self._changing += 1
        self._forget_tokens()
        try:
            yield
        finally:
            self._changing -= 1
            self._forget_tokens()

    def _forget_tokens(self) -> None:
        self._known.clear()
        self._generation += 1

    async def sign_in(
        self, login: str, password: str, *, device_name: str | None, address: str
    ) -> SessionOut:
        """Check the password (rate-limited per login and per address) and open a session."""
        await self._check_rate_limit(login, address)
        async with self.db.read() as session:
            user = await store.user_by_login(session, login)
        ok = await self.hashing.verify(user.password_hash if user else None, password)
        if user is None or not ok:
            async with self.db.write() as session:
                await store.record_failure(session, login, address)
            raise InvalidCredentials("Login or password is wrong.")
        if user.disabled:
            raise AccountDisabled("This account is disabled; ask your administrator.")
        async with self.events.transaction() as tx:
            await store.clear_failures(tx.session, login)
            token, device = await self.issue_device(tx, user.id, "web", device_name or "Browser")
            return await self.session_out(tx.session, user, token, device)

    async def _check_rate_limit(self, login: str, address: str) -> None:
        window = timedelta(seconds=self.settings.signin_window_seconds)
        now = utcnow()
        async with self.db.read() as session:
            by_login = await store.failures_since(session, "login", login.lower(), now - window)
            by_address = await store.failures_since(session, "address", address, now - window)
        for (count, oldest), limit in (
            (by_login, self.settings.signin_max_failures_per_login),
            (by_address, self.settings.signin_max_failures_per_address),
        ):
            if count >= limit and oldest is not None:
                retry = max(1, math.ceil((oldest + window - now).total_seconds()))
                raise TooManyAttempts(
                    f"Too many failed sign-ins. Try again in {retry} seconds.", retry_after=retry
                )

    async def prune_failures(self) -> None:
        window = timedelta(seconds=self.settings.signin_window_seconds)
        async with self.db.write() as session:
            await store.prune_failures(session, utcnow() - window)

    async def issue_device(
        self, tx: Transaction, user_id: str, kind: str, name: str
    ) -> tuple[str, Device]:
        """A new device session for the user; returns the token (shown once) and the device."""
        token = new_token()
        device = Device(
            user_id=user_id,
            kind=kind,
            name=name.strip()[:100] or kind,
            token_hash=token_hash(token),
        )
        tx.session.add(device)
        await tx.session.flush()
        return token, device

    async def session_out(
        self, session: AsyncSession, user: User, token: str, device: Device
    ) -> SessionOut:
        return SessionOut(
            token=token,
            user=await self.me_out(session, user),
            device=device_out(device, current=True),
        )

    async def sign_out(self, principal: Principal) -> None:
        await self.revoke_device(principal.user_id, principal.device_id)

    # -- devices ----------------------------------------------------------------------
    async def devices(self, principal: Principal) -> list[DeviceOut]:
        async with self.db.read() as session:
            rows = await store.devices_of(session, principal.user_id)
        return [device_out(d, current=d.id == principal.device_id) for d in rows]

    async def revoke_device(self, user_id: str, device_id: str) -> None:
        """Revoke at once: the token stops working and the device's sockets are closed."""
        with self._sessions_change():
            await self._revoke_device(user_id, device_id)

    async def _revoke_device(self, user_id: str, device_id: str) -> None:
        async with self.events.transaction() as tx:
            device = await store.device_of(tx.session, user_id, device_id)
            if device is None:
                raise NotFound("No such device.")
            device.revoked_at = utcnow()
            tx.emit([user_id], "device.revoked", {"device_id": device_id})

    # -- profile ----------------------------------------------------------------------
    async def me(self, principal: Principal) -> MeOut:
        async with self.db.read() as session:
            user = await self._user(session, principal.user_id)
            return await self.me_out(session, user)

    async def colleagues(self) -> list[UserOut]:
        async with self.db.read() as session:
            users = await store.users(session)
            presence = await self.presence.of_many(session, [u.id for u in users])
        return [user_out(u, presence[u.id]) for u in users if u.id in presence]

    async def colleague(self, user_id: str) -> UserOut:
        async with self.db.read() as session:
            user = await self._user(session, user_id)
            if user.disabled:
                raise NotFound("No such user.")
            return user_out(user, await self.presence.of(session, user.id))

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        async with self.db.read() as session:
            user = await self._user(session, principal.user_id)
        if user.directory_user:
            raise PasswordManagedExternally(
                "Your password is managed by your company directory (LDAP/Active Directory); "
                "change it there."
            )
        if not await self.hashing.verify(user.password_hash, current):
            raise InvalidCredentials("The current password is wrong.")
        self._check_password(new, field="new")
        new_hash = await self.hashing.hash(new)
        async with self.db.write() as session:
            fresh = await self._user(session, principal.user_id)
            fresh.password_hash = new_hash

    async def verify_password(self, user_id: str, password: str) -> None:
        """Raise InvalidCredentials unless ``password`` is the user's (asked again, PAIR-1)."""
        async with self.db.read() as session:
            user = await self._user(session, user_id)
        if not await self.hashing.verify(user.password_hash, password):
            raise InvalidCredentials("The password is wrong.")

    # -- administration (ADM-1) -------------------------------------------------------
    async def create_user(self, data: UserCreateIn) -> AdminUserOut:
        if not data.directory_user:
            if data.password is None:
                raise InvalidInput("A password is required.", details={"password": "required"})
            self._check_password(data.password, field="password")
        password_hash = await self.hashing.hash(data.password) if data.password else None
        mobile = to_e164(data.mobile_number, region=self.settings.default_region)
        async with self.events.transaction() as tx:
            if await store.user_by_login(tx.session, data.login):
                raise LoginTaken(f"The login '{data.login}' is taken.", details={"login": "taken"})
            if data.extension:
                await self._check_extension_free(tx.session, data.extension)
            user = User(
                login=data.login,
                display_name=data.display_name.strip(),
                extension=data.extension or None,
                email=data.email,
                mobile_number=mobile,
                role=data.role,
                may_pair_self=data.may_pair_self,
                may_edit_follow_me=data.may_edit_follow_me,
                directory_user=data.directory_user,
                password_hash=password_hash,
            )
            tx.session.add(user)
            try:
                await tx.session.flush()
            except IntegrityError as exc:  # a concurrent create won the race
                raise LoginTaken(
                    f"The login '{data.login}' or the extension is taken.",
                    details={"login": "taken"},
                ) from exc
            await presence_store.create(tx.session, user.id)
            await settings_store.create(tx.session, user.id)
            await index_contact(tx.session, user)
            await self.announce_user(tx, user)
            return await self.admin_out(tx.session, user)

    async def list_users(self) -> list[AdminUserOut]:
        async with self.db.read() as session:
            return [
                await self.admin_out(session, u)
                for u in await store.users(session, include_disabled=True)
            ]

    async def get_user(self, user_id: str) -> AdminUserOut:
        async with self.db.read() as session:
            return await self.admin_out(session, await self._user(session, user_id))

    async def update_user(self, user_id: str, patch: UserPatchIn) -> AdminUserOut:
        fields = patch.model_dump(exclude_unset=True)
        new_hash = None
        if fields.get("password") is not None:
            self._check_password(fields["password"], field="password")
            new_hash = await self.hashing.hash(fields["password"])
        if "mobile_number" in fields:
            fields["mobile_number"] = to_e164(
                fields["mobile_number"], region=self.settings.default_region
            )
        with self._sessions_change():
            async with self.events.transaction() as tx:
                user = await self._user(tx.session, user_id)
                if fields.get("extension") and fields["extension"] != user.extension:
                    await self._check_extension_free(tx.session, fields["extension"])
                for name, value in fields.items():
                    if name == "password" or (value is None and name not in CLEARABLE):
                        continue
                    setattr(user, name, value if value != "" else None)
                if new_hash is not None:
                    user.password_hash = new_hash
                if user.disabled:
                    for device_id in await store.revoke_devices(tx.session, user.id):
                        tx.emit([user.id], "device.revoked", {"device_id": device_id})
                    tx.emit(
                        await store.active_user_ids(tx.session),
                        "user.removed",
                        {"user_id": user.id},
                    )
                    await search_index.drop(tx.session, "contact", user.id)
                else:
                    await index_contact(tx.session, user)
                    await self.announce_user(tx, user)
                return await self.admin_out(tx.session, user)

    async def delete_user(self, user_id: str) -> None:
        with self._sessions_change():
            async with self.events.transaction() as tx:
                user = await self._user(tx.session, user_id)
                await tx.session.delete(user)
                await search_index.drop(tx.session, "contact", user_id)
                await search_index.drop_scope(tx.session, f"u{user_id}")
                await tx.session.flush()
                tx.emit(
                    await store.active_user_ids(tx.session), "user.removed", {"user_id": user_id}
                )

    # -- views ------------------------------------------------------------------------
    async def announce_user(self, tx: Transaction, user: User) -> None:
        """Tell every colleague that this user's card changed (``user.updated``)."""
        out = user_out(user, await self.presence.of(tx.session, user.id))
        tx.emit(
            await store.active_user_ids(tx.session),
            "user.updated",
            {"user": out.model_dump(mode="json")},
        )

    async def me_out(self, session: AsyncSession, user: User) -> MeOut:
        settings_row = await settings_store.get(session, user.id)
        return MeOut(
            **user_out(user, await self.presence.of(session, user.id)).model_dump(),
            permissions=permissions(user),
            directory_user=user.directory_user,
            settings=SettingsOut.model_validate(settings_row),
        )

    async def admin_out(self, session: AsyncSession, user: User) -> AdminUserOut:
        return AdminUserOut(
            **user_out(user, await self.presence.of(session, user.id)).model_dump(),
            permissions=permissions(user),
            directory_user=user.directory_user,
            disabled=user.disabled,
            created_at=user.created_at,
        )

    async def _check_extension_free(self, session: AsyncSession, extension: str) -> None:
        if await store.user_by_extension(session, extension) is not None:
            raise ExtensionTaken(
                f"Extension {extension} belongs to someone else.", details={"extension": "taken"}
            )

    async def _user(self, session: AsyncSession, user_id: str) -> User:
        user = await store.user_by_id(session, user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    def _check_password(self, password: str, *, field: str) -> None:
        if len(password) < self.settings.password_min_length:
            raise InvalidInput(
                f"The password must have at least {self.settings.password_min_length} characters.",
                details={field: "too short"},
            )


async def index_contact(session: AsyncSession, user: User) -> None:
    """Keep the colleague findable by name, login, email, extension and mobile (SRCH-1)."""
    await search_index.put(session, contact_document(user))


def contact_document(user: User) -> search_index.Document:
    subtitle = " · ".join(p for p in (user.extension and f"Ext. {user.extension}", user.email) if p)
    return search_index.Document(
        source="contact",
        ref_id=user.id,
        scope=["all"],
        title=user.display_name,
        subtitle=subtitle,
        text=[user.login, user.email],
        numbers=[n for n in (user.extension, user.mobile_number) if n],
    )


def permissions(user: User) -> Permissions:
    return Permissions(may_pair_self=user.may_pair_self, may_edit_follow_me=user.may_edit_follow_me)


def user_out(user: User, presence: PresenceOut) -> UserOut:
    return UserOut(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        extension=user.extension,
        email=user.email,
        mobile_number=user.mobile_number,
        role=user.role,
        avatar_version=user.avatar_version,
        presence=presence,
    )


def device_out(device: Device, *, current: bool) -> DeviceOut:
    return DeviceOut(
        id=device.id,
        name=device.name,
        kind=device.kind,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        current=current,
    )
