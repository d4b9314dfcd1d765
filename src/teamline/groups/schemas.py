"""Request and response models of groups."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_NAME = 100


def _name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("the group needs a name")
    return value


class GroupOut(BaseModel):
    id: str
    name: str
    conversation_id: str
    member_ids: list[str]
    created_by: str | None
    created_at: datetime
    has_picture: bool
    picture_version: int
    muted: bool


class GroupsOut(BaseModel):
    groups: list[GroupOut]


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME)
    member_ids: list[str] = Field(default_factory=list, max_length=10_000)

    _check_name = field_validator("name")(_name)


class GroupPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME)

    _check_name = field_validator("name")(_name)
