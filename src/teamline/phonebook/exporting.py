"""Writing a phonebook as vCard 3.0 (RFC 2426). The UID is the entry id, so that importing the
export again updates the entries instead of adding them twice."""

from __future__ import annotations

from collections.abc import Iterable

from teamline.phonebook.models import PhonebookEntry

TEL_TYPES = {"work": "WORK,VOICE", "mobile": "CELL,VOICE", "home": "HOME,VOICE", "fax": "WORK,FAX"}


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after one space (RFC 2425 §5.8.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    text = line
    limit = 75
    while text:
        # cut at a character boundary at most ``limit`` octets in
        cut = len(text)
        while len(text[:cut].encode()) > limit:
            cut -= max(1, (len(text[:cut].encode()) - limit) // 4)
        parts.append(text[:cut])
        text = text[cut:]
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def vcard(entry: PhonebookEntry) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{entry.id}",
        f"FN:{_escape(entry.display_name)}",
        f"N:{_escape(entry.last_name or '')};{_escape(entry.first_name or '')};;;",
    ]
    if entry.organisation:
        lines.append(f"ORG:{_escape(entry.organisation)}")
    lines.extend(f"TEL;TYPE={TEL_TYPES[n.type]}:{n.e164}" for n in entry.numbers)
    if entry.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(entry.email)}")
    if entry.notes:
        lines.append(f"NOTE:{_escape(entry.notes)}")
    for key, value in (entry.labels or {}).items():
        name = key.replace('"', "'")
        lines.append(f'X-TEAMLINE-LABEL;X-NAME="{name}":{_escape(str(value))}')
    lines.append(f"REV:{entry.updated_at.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def vcards(entries: Iterable[PhonebookEntry]) -> Iterable[str]:
    for entry in entries:
        yield vcard(entry)
