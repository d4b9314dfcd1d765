"""Request and response models of conversations, messages, reactions and attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 10_000
MAX_ATTACHMENTS = 10
ConversationKind = Literal["direct", "group"]


class AttachmentOut(BaseModel):
    id: str
    name: str
    content_type: str
    size: int
    image: bool
    width: int | None
    height: int | None


class ReactionOut(BaseModel):
    emoji: str
    user_ids: list[str]


class MessageOut(BaseModel):
    id: str
    conversation_id: str
    author_id: str | None
    text: str
    client_id: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    seq: int
    reactions: list[ReactionOut]
    attachments: list[AttachmentOut]


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class MemberOut(BaseModel):
    user_id: str
    read_up_to: str | None
    delivered_up_to: str | None


class ConversationOut(BaseModel):
    id: str
    kind: ConversationKind
    title: str
    unread: int
    muted: bool
    last_message: MessageOut | None
    group_id: str | None
    peer_id: str | None
    member_count: int
    # Every member's markers; in lists and events of groups of 50 or more members this is
    # empty (GET /conversations/{id} has them all).
    members: list[MemberOut]
    last_activity_at: datetime


class ConversationsOut(BaseModel):
    conversations: list[ConversationOut]
    unread_total: int


class DirectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(min_length=1, max_length=32)


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field("", max_length=MAX_TEXT)
    client_id: str | None = Field(None, min_length=1, max_length=64)
    attachment_ids: list[str] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)


class MessageEditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT)


class MarkerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    up_to: str = Field(min_length=1, max_length=32)


class MuteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    muted: bool
