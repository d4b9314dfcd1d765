"""Text and number normalisation shared by indexing and querying (SRCH-2, SRCH-3)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import phonenumbers

# German transliterations, indexed beside the plain folding so "Mueller" finds "Müller".
TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
WORD = re.compile(r"[^\W_]+", re.UNICODE)
NUMBER_QUERY = re.compile(r"^[\d\s+\-()/]+$")


def fold(text: str) -> str:
    """Lower-case, accents removed: "Müller" → "muller", "Élodie" → "elodie"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(parts: Iterable[str | None]) -> list[str]:
    """Every word of the parts, folded; hyphens, apostrophes and punctuation split words."""
    found: list[str] = []
    for part in parts:
        if not part:
            continue
        lowered = part.casefold()
        found.extend(WORD.findall(fold(lowered)))
        transliterated = lowered.translate(TRANSLITERATE)
        if transliterated != lowered:
            found.extend(WORD.findall(fold(transliterated)))
    return list(dict.fromkeys(found))


def fragments(query: str) -> list[str]:
    """The query's fragments, folded the same way as indexed words."""
    return list(dict.fromkeys(WORD.findall(fold(query))))


def is_number_query(query: str) -> bool:
    return bool(NUMBER_QUERY.match(query)) and sum(ch.isdigit() for ch in query) >= 3


def number_variants(
    numbers: Iterable[str], region: str = "DE", displayed: Sequence[str] = ()
) -> list[str]:
    """Digit strings a number is found by: international ("491701234567") and national
    ("01701234567"); extensions and unparsable numbers as their digits.

    ``displayed`` may give each number as shown, where known: a national form (no "+") is
    taken as it is instead of parsing and formatting the number again (80 µs a number, most
    of a phonebook import's indexing)."""
    variants: list[str] = []
    for i, raw in enumerate(numbers):
        digits = "".join(ch for ch in raw if ch.isdigit())
        if not digits:
            continue
        variants.append(digits)
        shown = displayed[i] if i < len(displayed) else ""
        if shown and not shown.lstrip().startswith("+"):
            variants.append("".join(ch for ch in shown if ch.isdigit()))
            continue
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        variants.append("".join(ch for ch in national if ch.isdigit()))
    return list(dict.fromkeys(variants))


def query_digits(query: str) -> str:
    """The digits of a number query; a leading international prefix 00 counts as +."""
    digits = "".join(ch for ch in query if ch.isdigit())
    if query.strip().startswith("00"):
        digits = digits[2:]
    return digits
