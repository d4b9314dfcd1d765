"""Request and response models of accounts, sessions and devices."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from teamline.presence.schemas import PresenceOut
from teamline.settings.schemas import SettingsOut

Role = Literal["user", "phonebook-manager", "admin"]


class Permissions(BaseModel):
    may_pair_self: bool
    may_edit_follow_me: bool


class UserOut(BaseModel):
    """A colleague as every user sees them."""

    id: str
    login: str
    display_name: str
    extension: str | None
    email: str | None
    mobile_number: str | None
    role: Role
    avatar_version: int
    presence: PresenceOut


class MeOut(UserOut):
    permissions: Permissions
    directory_user: bool
    settings: SettingsOut


class AdminUserOut(UserOut):
    permissions: Permissions
    directory_user: bool
    disabled: bool
    created_at: datetime


class DeviceOut(BaseModel):
    id: str
    name: str
    kind: Literal["web", "mobile"]
    created_at: datetime
    last_seen_at: datetime
    current: bool


class SignInIn(BaseModel):
    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_name: str | None = Field(None, max_length=100)


class SessionOut(BaseModel):
    token: str
    user: MeOut
    device: DeviceOut


class PasswordChangeIn(BaseModel):
    current: str = Field(max_length=1024)
    new: str = Field(max_length=1024)


class UserCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
    display_name: str = Field(min_length=1, max_length=200)
    password: str | None = Field(None, max_length=1024)
    extension: str | None = Field(None, pattern=r"^[0-9]{1,20}$")
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile_number: str | None = Field(None, max_length=40)
    role: Role = "user"
    may_pair_self: bool = True
    may_edit_follow_me: bool = False
    directory_user: bool = False


class UserPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, min_length=1, max_length=200)
    password: str | None = Field(None, max_length=1024)
    extension: str | None = Field(None, pattern=r"^[0-9]{0,20}$")
    email: str | None = Field(None, max_length=254)
    mobile_number: str | None = Field(None, max_length=40)
    role: Role | None = None
    may_pair_self: bool | None = None
    may_edit_follow_me: bool | None = None
    directory_user: bool | None = None
    disabled: bool | None = None
