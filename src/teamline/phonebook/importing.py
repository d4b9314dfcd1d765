"""Reading contacts from CSV and vCard files, and checking any contact before it is stored.

A file becomes ``RawContact`` rows (what it says, with the line where each row or card
begins); ``to_contact`` checks one and gives a ``Contact`` (E.164 numbers, a display name) or
raises InvalidInput. A bad row never stops the others: it becomes an ``ImportProblem``.

Re-imports update instead of duplicating. The match key (``Contact.import_key``) is the vCard
UID when there is one, else the display name (case-folded, whitespace collapsed) plus the
sorted E.164 numbers.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import phonenumbers
from vobject.base import parseLine  # type: ignore[import-untyped]

from teamline.core.errors import InvalidInput
from teamline.core.phone import to_e164
from teamline.phonebook.errors import UnsupportedFileType
from teamline.phonebook.schemas import ImportProblem

if TYPE_CHECKING:
    from teamline.search.index import IndexedText

NUMBER_TYPES = ("work", "mobile", "home", "fax")
LIMITS = {
    "display_name": 200,
    "first_name": 100,
    "last_name": 100,
    "organisation": 200,
    "email": 254,
    "notes": 10_000,
}
CSV_TYPES = {
    "text/csv",
    "text/comma-separated-values",
    "application/csv",
    "application/vnd.ms-excel",
}
VCARD_TYPES = {"text/vcard", "text/x-vcard", "text/directory"}
# Compiled once: re.split(pattern, …) looks the pattern up in re's cache on every call (half
# the cost of splitting a property line; 0.2 s of parsing a 100,000-card file).
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_NAME_END = re.compile(r"[;:]")
_COMPONENT_END = re.compile(r"(?<!\\);")


@dataclass(frozen=True)
class TypedNumber:
    type: str
    e164: str
    national: str


@dataclass
class RawContact:
    """One contact as a file or a request states it; nothing checked yet."""

    line: int = 0
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    organisation: str | None = None
    email: str | None = None
    notes: str | None = None
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (type, as written)
    labels: dict[str, str] = field(default_factory=dict)
    uid: str | None = None


@dataclass(frozen=True)
class Contact:
    """A checked contact, ready to be stored."""

    display_name: str
    first_name: str | None
    last_name: str | None
    organisation: str | None
    email: str | None
    notes: str | None
    numbers: tuple[TypedNumber, ...]
    labels: dict[str, str]
    uid: str | None = None
    # Its search document's words and digits, where the parsing process computed them.
    search_text: IndexedText | None = field(default=None, compare=False)

    @property
    def import_key(self) -> str:
        """What identifies this contact across re-imports (see the module docstring)."""
        if self.uid:
            uid = self.uid.strip()
            return f"uid:{uid}" if len(uid) <= 190 else "uid#" + _digest(uid)
        name = " ".join(self.display_name.casefold().split())
        numbers = ",".join(sorted({n.e164 for n in self.numbers}))
        return "key:" + _digest(f"{name}\n{numbers}")


@dataclass
class ParsedFile:
    contacts: list[tuple[int, Contact]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def typed_number(kind: str, raw: str, region: str) -> TypedNumber:
    """E.164 and display form of a number typed in any usual way; InvalidInput if it is none."""
    number = _valid_number(raw, region)
    if number is None:
        # to_e164 says what is wrong, in the words used wherever a number is typed
        e164 = to_e164(raw, region=region, field="numbers")
        if e164 is None:
            raise InvalidInput("A number is empty.", details={"numbers": "empty"})
        number = phonenumbers.parse(e164)
    # What to_e164 keeps: the extension is not part of the stored number.
    number.extension = None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return TypedNumber(kind, e164, _display_form(number, e164, region))


def _valid_number(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    """``raw`` parsed as to_e164 parses it, if it is a valid number. One parse serves the
    E.164 and the display form: phonenumbers' parsing is most of an import's parsing time."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@functools.lru_cache(maxsize=4096)
def _country_prefix(region: str) -> str:
    return f"+{phonenumbers.country_code_for_region(region.upper())}"


def _display_form(number: phonenumbers.PhoneNumber, e164: str, region: str) -> str:
    same_country = e164.startswith(_country_prefix(region)) and (
        phonenumbers.region_code_for_number(number) == region.upper()
    )
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return text or None


def to_contact(raw: RawContact, region: str) -> Contact:
    """Check a raw contact: lengths, numbers, a display name (derived from the names or the
    organisation when missing). Raises InvalidInput naming the field."""
    values = {name: _clean(getattr(raw, name)) for name in LIMITS}
    if values["notes"] is not None:
        values["notes"] = values["notes"].replace("\r\n", "\n").replace("\r", "\n")
    if values["display_name"] is None:
        derived = " ".join(v for v in (values["first_name"], values["last_name"]) if v)
        values["display_name"] = derived or values["organisation"]
    if values["display_name"] is None:
        raise InvalidInput(
            "A display name is required (or a first or last name to derive it from).",
            details={"display_name": "required"},
        )
    for name, limit in LIMITS.items():
        value = values[name]
        if value is not None and len(value) > limit:
            raise InvalidInput(
                f"The {name.replace('_', ' ')} is longer than {limit} characters.",
                details={name: "too long"},
            )
    email = values["email"]
    if email is not None and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"'{email}' is not an e-mail address.", details={"email": "invalid"})
    numbers = tuple(typed_number(kind, number, region) for kind, number in raw.numbers)
    labels = {k.strip(): v.strip() for k, v in raw.labels.items() if k.strip()}
    for key, value in labels.items():
        if len(key) > 50 or len(value) > 200:
            raise InvalidInput(
                "Label names have at most 50 characters, values at most 200.",
                details={"labels": "too long"},
            )
    return Contact(
        display_name=values["display_name"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        organisation=values["organisation"],
        email=email,
        notes=values["notes"],
        numbers=numbers,
        labels=labels,
        uid=_clean(raw.uid),
    )


# -- files ---------------------------------------------------------------------------------
def read_file(body: bytes, content_type: str | None, region: str) -> ParsedFile:
    """Contacts and problems of an import file; the kind comes from ``content_type``, and a
    generic type (or none) is sniffed for ``BEGIN:VCARD``."""
    text = decode(body)
    raws = read_vcards(text) if file_kind(text, content_type) == "vcard" else read_csv(text)
    return checked(raws, region)


def file_kind(text: str, content_type: str | None) -> str:
    """``vcard`` or ``csv``, by ``content_type`` or, for a generic one, by the text itself;
    UnsupportedFileType for any other type."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in VCARD_TYPES:
        return "vcard"
    if kind in CSV_TYPES:
        return "csv"
    if kind in ("", "text/plain", "application/octet-stream"):
        return "vcard" if text.lstrip()[:11].upper() == "BEGIN:VCARD" else "csv"
    raise UnsupportedFileType(
        f"Import CSV (text/csv) or vCard (text/vcard) files, not '{kind}'.",
        details={"content_type": kind},
    )


def checked(raws: Iterable[RawContact | ImportProblem], region: str) -> ParsedFile:
    """Raw contacts checked by ``to_contact``; each one it refuses becomes a problem."""
    parsed = ParsedFile()
    for item in raws:
        if isinstance(item, ImportProblem):
            parsed.problems.append(item)
            continue
        try:
            parsed.contacts.append((item.line, to_contact(item, region)))
        except InvalidInput as exc:
            parsed.problems.append(ImportProblem(line=item.line, message=exc.message))
    return parsed


def decode(body: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Outlook writes in Europe)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


# -- CSV -----------------------------------------------------------------------------------
# Header (case-folded) → field, or ("number", type). Ours, Outlook English, Outlook German.
CSV_COLUMNS: dict[str, str | tuple[str, str]] = {
    "display_name": "display_name",
    "first_name": "first_name",
    "last_name": "last_name",
    "organisation": "organisation",
    "organization": "organisation",
    "email": "email",
    "notes": "notes",
    "work": ("number", "work"),
    "mobile": ("number", "mobile"),
    "home": ("number", "home"),
    "fax": ("number", "fax"),
    "display name": "display_name",
    "first name": "first_name",
    "last name": "last_name",
    "company": "organisation",
    "business phone": ("number", "work"),
    "business phone 2": ("number", "work"),
    "company main phone": ("number", "work"),
    "mobile phone": ("number", "mobile"),
    "home phone": ("number", "home"),
    "home phone 2": ("number", "home"),
    "business fax": ("number", "fax"),
    "home fax": ("number", "fax"),
    "e-mail address": "email",
    "vorname": "first_name",
    "nachname": "last_name",
    "firma": "organisation",
    "telefon geschäftlich": ("number", "work"),
    "telefon geschäftlich 2": ("number", "work"),
    "telefon firma": ("number", "work"),
    "mobiltelefon": ("number", "mobile"),
    "telefon privat": ("number", "home"),
    "telefon privat 2": ("number", "home"),
    "fax geschäftlich": ("number", "fax"),
    "fax privat": ("number", "fax"),
    "e-mail-adresse": "email",
    "notizen": "notes",
}


def read_csv(text: str) -> list[RawContact | ImportProblem]:
    """Rows of a CSV file with a header row; delimiter ``,`` or ``;``."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The file is empty.", details={"file": "empty"}) from None
    columns = [CSV_COLUMNS.get(name.strip().strip('"').casefold()) for name in header]
    if not any(columns):
        raise InvalidInput(
            "The first line must name the columns, e.g. "
            "display_name,first_name,last_name,organisation,work,mobile,home,fax,email,notes "
            "(or an Outlook export header).",
            details={"file": "no known column in the header"},
        )
    rows: list[RawContact | ImportProblem] = []
    last = reader.line_num
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append(ImportProblem(line=start, message=f"Unreadable row: {exc}."))
            break
        last = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            rows.append(
                ImportProblem(
                    line=start,
                    message=f"The row has {len(row)} fields, the header {len(header)}.",
                )
            )
            continue
        raw = RawContact(line=start)
        for column, cell in zip(columns, row, strict=False):
            value = cell.strip()
            if column is None or not value:
                continue
            if isinstance(column, tuple):
                raw.numbers.append((column[1], value))
            elif getattr(raw, column) is None:
                setattr(raw, column, value)
        rows.append(raw)
    return rows


# -- vCard ---------------------------------------------------------------------------------
SKIPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}  # binary payloads we do not keep
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}
_ESCAPED = re.compile(r"\\(.)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _cards(text: str, first_line: int = 1) -> Iterator[tuple[int, list[str]] | ImportProblem]:
    """Each card's lines with the number of its BEGIN line (the text's first line being
    ``first_line`` of the file)."""
    start = 0
    lines: list[str] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=first_line):
        marker = line.strip().upper()
        if marker == "BEGIN:VCARD":
            if start:
                yield ImportProblem(line=start, message="The card has no END:VCARD.")
            start, lines = number, [line.strip()]
        elif not start:
            if line.strip():
                yield ImportProblem(line=number, message="Text outside a card (BEGIN:VCARD).")
        elif marker == "END:VCARD":
            lines.append(line.strip())
            yield start, lines
            start, lines = 0, []
        else:
            lines.append(line)
    if start:
        yield ImportProblem(line=start, message="The card has no END:VCARD.")


def _property_name(line: str) -> str:
    head = _NAME_END.split(line, maxsplit=1)[0]
    return head.rsplit(".", 1)[-1].strip().upper()


def _prepare(lines: list[str]) -> list[str]:
    """The card's logical lines: unfolded, binary properties dropped, quoted-printable decoded.

    Quoted-printable is decoded here, with the line's CHARSET: Outlook writes
    ``CHARSET=Windows-1252``, which vobject's own decoding (always UTF-8) gets wrong.
    """
    unfolded: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        if line[0] in " \t":  # a folded continuation (RFC 2425 §5.8.1)
            if unfolded:
                unfolded[-1] += line[1:]
            continue
        head, _, value = line.partition(":")
        if "QUOTED-PRINTABLE" in head.upper():
            # soft line breaks: "=" at the end joins the next line, indented or not
            while value.endswith("=") and index < len(lines):
                value = value[:-1] + lines[index].lstrip(" \t")
                index += 1
            line = _decoded_line(head, value)
        unfolded.append(line)
    return [line for line in unfolded if _property_name(line) not in SKIPPED]


def _decoded_line(head: str, value: str) -> str:
    params = head.split(";")
    charset = "utf-8"
    kept = [params[0]]
    for param in params[1:]:
        key, _, val = param.partition("=")
        if key.strip().upper() == "CHARSET":
            charset = val.strip().strip('"') or charset
        elif not (key.strip().upper() == "ENCODING" or param.strip().upper() == "QUOTED-PRINTABLE"):
            kept.append(param)
    data = quopri.decodestring(value.encode("latin-1", errors="replace"))
    try:
        decoded = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        decoded = data.decode("cp1252", errors="replace")
    escaped = decoded.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n")
    return ";".join(kept) + ":" + escaped


def _unescape(value: str) -> str:
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


def _components(value: str) -> list[str]:
    """The parts of a structured value (N, ORG) split at unescaped semicolons."""
    return [_unescape(part) for part in _COMPONENT_END.split(value)]


def _types(params: list[list[str]]) -> set[str]:
    """TYPE values, whether ``TYPE=work,voice``, ``type=work;type=voice`` or 2.1's bare ``WORK``."""
    found: set[str] = set()
    for param in params:
        if len(param) == 1:
            found.add(param[0].lower())
        elif param[0].upper() == "TYPE":
            for value in param[1:]:
                found.update(part.strip().strip('"').lower() for part in value.split(","))
    return found


def _number_type(types: set[str], label: str) -> str:
    label = label.lower()
    if "fax" in types or "fax" in label:
        return "fax"
    if types & {"cell", "mobile", "iphone"} or "mobile" in label:
        return "mobile"
    if "home" in types or "home" in label:
        return "home"
    return "work"


def read_vcards(text: str, first_line: int = 1) -> list[RawContact | ImportProblem]:
    """Cards of a vCard 2.1 / 3.0 / 4.0 file (or of a piece of one that begins at line
    ``first_line``). Each content line is parsed by vobject's line parser; the card objects
    vobject would build on top cost more than all the rest of an import, and its text
    decoding drops everything after an unescaped comma (2.1 does not escape them)."""
    results: list[RawContact | ImportProblem] = []
    for item in _cards(text, first_line):
        if isinstance(item, ImportProblem):
            results.append(item)
            continue
        start, lines = item
        try:
            results.append(_contact_of(_prepare(lines), start))
        except Exception as exc:  # vobject raises many kinds; each is this card's problem
            results.append(ImportProblem(line=start, message=f"Unreadable card: {exc}"))
    return results


def read_vcard_piece(text: str, first_line: int, region: str) -> ParsedFile:
    """Contacts and problems of a piece of a vCard file (see ``vcard_pieces``)."""
    return checked(read_vcards(text, first_line), region)


_BEGIN = re.compile(r"^[ \t]*BEGIN:VCARD[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def vcard_pieces(text: str, cards: int) -> list[tuple[int, str]]:
    """The text of a vCard file cut before every ``cards``-th BEGIN:VCARD line, each piece
    with the number of its first line: read one by one, the pieces give the same contacts
    and problems (with the same lines) as the whole file. (Lines ending in a bare CR are
    not cut: such a file stays one piece.)"""
    pieces: list[tuple[int, str]] = []
    start, first_line = 0, 1
    for seen, begin in enumerate(_BEGIN.finditer(text)):
        if seen == 0 or seen % cards or begin.start() == 0:
            continue
        piece = text[start : begin.start()]
        pieces.append((first_line, piece))
        first_line += len(_LINE_BREAK.findall(piece))
        start = begin.start()
    pieces.append((first_line, text[start:]))
    return pieces


def _contact_of(lines: list[str], start: int) -> RawContact:
    raw = RawContact(line=start)
    parsed = [parseLine(line, start + offset) for offset, line in enumerate(lines)]
    labels = {
        group.lower(): _unescape(value)
        for name, _, value, group in parsed
        if name.upper() == "X-ABLABEL" and group
    }
    for name, params, value, group in parsed:
        name = name.upper()
        if name == "FN":
            raw.display_name = raw.display_name or _unescape(value)
        elif name == "N":
            parts = [*_components(value), "", ""]
            raw.last_name = raw.last_name or parts[0]
            raw.first_name = raw.first_name or parts[1]
        elif name == "ORG":
            raw.organisation = raw.organisation or ", ".join(p for p in _components(value) if p)
        elif name == "TEL":
            number = value.strip()
            if number.lower().startswith("tel:"):
                number = number[4:].split(";")[0]
            if number:
                label = labels.get((group or "").lower(), "")
                raw.numbers.append((_number_type(_types(params), label), number))
        elif name == "EMAIL":
            raw.email = raw.email or _unescape(value)
        elif name == "NOTE":
            raw.notes = raw.notes or _unescape(value)
        elif name == "UID":
            raw.uid = _unescape(value)
        elif name == "X-TEAMLINE-LABEL":
            key = next((p[1] for p in params if len(p) > 1 and p[0].upper() == "X-NAME"), "")
            if key:
                raw.labels[key.strip('"')] = _unescape(value)
    return raw
