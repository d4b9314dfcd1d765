"""User settings as the API shows and takes them (SET-2…5, SET-7)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    contact_sort: Literal["name", "status", "recent"]
    list_style: Literal["compact", "detailed"]
    auto_away_seconds: int
    hide_system_calls: bool
    language: Literal["de", "en"]
    theme: Literal["light", "dark", "system"]


class SettingsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_sort: Literal["name", "status", "recent"] | None = None
    list_style: Literal["compact", "detailed"] | None = None
    auto_away_seconds: int | None = Field(None, ge=0, le=86_400)
    hide_system_calls: bool | None = None
    language: Literal["de", "en"] | None = None
    theme: Literal["light", "dark", "system"] | None = None


class AvatarOut(BaseModel):
    avatar_version: int
