"""Request and response models of phonebooks, favorites and caller-name resolution."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Book = Literal["company", "private"]
NumberType = Literal["work", "mobile", "home", "fax"]
FavoriteKind = Literal["user", "phonebook-entry"]

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"
MAX_NUMBERS = 20
MAX_LABELS = 20


class NumberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: NumberType = "work"
    number: str = Field(min_length=1, max_length=40)


class NumberOut(BaseModel):
    type: NumberType
    number: str  # E.164
    display: str  # national form (international for foreign numbers)


class EntryIn(BaseModel):
    """A new entry. ``display_name`` may be left out when first or last name is given."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, max_length=200)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    organisation: str | None = Field(None, max_length=200)
    numbers: list[NumberIn] = Field(default_factory=list, max_length=MAX_NUMBERS)
    email: str | None = Field(None, max_length=254, pattern=EMAIL_PATTERN)
    notes: str | None = Field(None, max_length=10_000)
    labels: dict[str, str] = Field(default_factory=dict, max_length=MAX_LABELS)


class EntryPatchIn(BaseModel):
    """Fields to change; null or "" clears an optional field, ``numbers`` and ``labels`` replace."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, max_length=200)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    organisation: str | None = Field(None, max_length=200)
    numbers: list[NumberIn] | None = Field(None, max_length=MAX_NUMBERS)
    email: str | None = Field(None, max_length=254, pattern=r"^$|" + EMAIL_PATTERN)
    notes: str | None = Field(None, max_length=10_000)
    labels: dict[str, str] | None = Field(None, max_length=MAX_LABELS)


class EntryOut(BaseModel):
    id: str
    book: Book
    display_name: str
    first_name: str | None
    last_name: str | None
    organisation: str | None
    numbers: list[NumberOut]
    email: str | None
    notes: str | None
    labels: dict[str, str]
    favorite: bool
    created_at: datetime
    updated_at: datetime


class EntriesOut(BaseModel):
    entries: list[EntryOut]
    total: int


class ImportProblem(BaseModel):
    line: int
    message: str


class ImportResultOut(BaseModel):
    imported: int
    updated: int
    errors: list[ImportProblem]


class FavoriteOut(BaseModel):
    kind: FavoriteKind
    id: str


class FavoritesOut(BaseModel):
    favorites: list[FavoriteOut]


class ResolutionOut(BaseModel):
    name: str
    source: Literal["user", "private-phonebook", "company-phonebook"]
    ref_id: str
    number_e164: str
