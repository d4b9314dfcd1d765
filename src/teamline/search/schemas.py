"""Search results and recent searches (SRCH-1…5)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Source = Literal["contact", "private-phonebook", "company-phonebook", "journal", "chat"]
SOURCES: tuple[Source, ...] = (
    "contact",
    "private-phonebook",
    "company-phonebook",
    "journal",
    "chat",
)


class SearchResult(BaseModel):
    source: Source
    id: str
    title: str
    subtitle: str
    action: Literal["call", "chat", "open"]
    number: str | None = None
    conversation_id: str | None = None
    message_id: str | None = None


class SearchResults(BaseModel):
    results: list[SearchResult]


class RecentIn(BaseModel):
    q: str = Field(min_length=1, max_length=200)


class RecentOut(BaseModel):
    recent: list[str]
