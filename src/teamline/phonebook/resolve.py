"""Caller-name resolution (BOOK-3): who is behind a number, as one user should see it.

Order: a colleague (extension exactly, or mobile number), then that user's private
phonebook (names in it are shown to its owner only), then the company phonebook. Numbers
are compared in E.164, so "0170 1234567", "+49 (170) 123-4567" and "0049170 1234567" match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.phonebook import store

Source = Literal["user", "private-phonebook", "company-phonebook"]
_FORMATTING = re.compile(r"[\s\-()/.\u00a0]")


@dataclass(frozen=True)
class Resolution:
    name: str
    source: Source
    ref_id: str  # the user's id or the phonebook entry's id
    number_e164: str  # the number in E.164; an internal extension as it is


def normalise(number: str, region: str) -> tuple[str, str | None]:
    """(the number without formatting, its E.164 form if it is a possible phone number)."""
    text = number.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    compact = _FORMATTING.sub("", text)
    candidate = "+" + compact[2:] if compact.startswith("00") else compact
    try:
        parsed = phonenumbers.parse(candidate, region.upper())
    except phonenumbers.NumberParseException:
        return compact, None
    if not phonenumbers.is_possible_number(parsed):
        return compact, None
    return compact, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


async def resolve(
    session: AsyncSession, number: str, for_user_id: str, region: str
) -> Resolution | None:
    """The name to show ``for_user_id`` for ``number``, or None if nobody known has it."""
    compact, e164 = normalise(number, region)
    if not compact:
        return None
    if compact.isdigit():
        user = await store.user_by_extension(session, compact)
        if user is not None:
            return Resolution(user.display_name, "user", user.id, compact)
    if e164 is None:
        return None
    user = await store.user_by_mobile(session, e164)
    if user is not None:
        return Resolution(user.display_name, "user", user.id, e164)
    entry = await store.entry_by_number(session, e164, "private", for_user_id)
    if entry is not None:
        return Resolution(entry.display_name, "private-phonebook", entry.id, e164)
    entry = await store.entry_by_number(session, e164, "company", None)
    if entry is not None:
        return Resolution(entry.display_name, "company-phonebook", entry.id, e164)
    return None
