"""Phone numbers: parse what people type, keep E.164."""

from __future__ import annotations

import phonenumbers

from teamline.core.errors import InvalidInput


def to_e164(raw: str | None, *, region: str, field: str = "mobile_number") -> str | None:
    """E.164 for a number typed in national (``region``) or international form; None if empty.

    Raises InvalidInput naming ``field`` for anything that is not a possible number.
    """
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(
            f"'{raw}' is not a phone number. Use the international form, e.g. +49 170 1234567.",
            details={field: "not a phone number"},
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            f"'{raw}' is not a valid phone number. Check the digits and the country code "
            "(e.g. +49 170 1234567).",
            details={field: "not a valid phone number"},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_form(number: str | None, *, region: str) -> str | None:
    """How a stored number is shown: national form for numbers of ``region``
    ("0170 1234567"), international for others ("+44 20 7946 0958"); anything that does not
    parse (an extension) as it is."""
    if not number:
        return number
    try:
        parsed = phonenumbers.parse(number, region.upper())
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    same_region = phonenumbers.region_code_for_number(parsed) == region.upper()
    form = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, form)
