"""Pure functions: phone numbers, initials, configuration."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from teamline.app import create_app
from teamline.config import load_settings
from teamline.core.errors import InvalidInput
from teamline.core.phone import display_form, to_e164
from teamline.phonebook.importing import typed_number
from teamline.presence.schemas import effective
from teamline.search.text import number_variants
from teamline.settings.avatar import initials, initials_svg


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("0170 1234567", "DE", "+491701234567"),
        ("+49 170 1234567", "DE", "+491701234567"),
        ("0049-170-1234567", "DE", "+491701234567"),
        ("(0)30 1234567", "DE", "+49301234567"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("  ", "DE", None),
    ],
)
def test_phone_numbers_to_e164(typed: str, region: str, e164: str | None) -> None:
    assert to_e164(typed, region=region) == e164


@pytest.mark.parametrize("typed", ["abc", "12", "+49 1", "0000000000"])
def test_nonsense_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        to_e164(typed, region="DE")
    assert error.value.details == {"mobile_number": error.value.details["mobile_number"]}


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Max-Andreas Mustermann", "MM"),
        ("Erika Musterfrau", "EM"),
        ("Admin", "AD"),
        ("David O'Neill", "DO"),
        ("", "?"),
        ("Ölaf Ünal", "ÖÜ"),
    ],
)
def test_initials(name: str, letters: str) -> None:
    assert initials(name) == letters


def test_initials_svg_escapes_markup() -> None:
    svg = initials_svg("id", "<script> &").decode()
    assert "<script>" not in svg


@pytest.mark.parametrize(
    ("state", "online", "auto_away", "shown"),
    [
        ("available", False, False, "offline"),
        ("dnd", True, True, "dnd"),
        ("available", True, True, "away"),
        ("away", True, False, "away"),
        ("available", True, False, "available"),
    ],
)
def test_effective_presence(state: str, online: bool, auto_away: bool, shown: str) -> None:
    assert effective(state, online=online, auto_away=auto_away) == shown


def test_settings_from_toml_file_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "teamline.toml"
    config.write_text('[teamline]\nport = 9000\ndefault_region = "AT"\npairing_ttl_seconds = 120\n')
    monkeypatch.setenv("TEAMLINE_CONFIG_FILE", str(config))
    monkeypatch.setenv("TEAMLINE_PORT", "9100")
    settings = load_settings()
    assert settings.port == 9100  # the environment wins over the file
    assert settings.default_region == "AT"
    assert settings.pairing_ttl_seconds == 120
    assert settings.public_url == "http://127.0.0.1:9100"
    assert settings.sqlalchemy_url.startswith("sqlite+aiosqlite:///")


def test_database_urls() -> None:
    pg = load_settings(database_url="postgresql://u@h:5432/db")
    assert pg.sqlalchemy_url == "postgresql+asyncpg://u@h:5432/db"
    assert not pg.is_sqlite


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_tokens_in_websocket_paths_are_redacted_from_server_logs() -> None:
    create_app()
    logger = logging.getLogger("uvicorn.error")
    collect = Collect()
    logger.addHandler(collect)
    try:
        logger.warning(
            '%s - "WebSocket %s" 403', "127.0.0.1:5", "/api/v1/events?token=SECRET&since=4"
        )
    finally:
        logger.removeHandler(collect)
    assert collect.lines == [
        '127.0.0.1:5 - "WebSocket /api/v1/events?token=[redacted]&since=4" 403'
    ]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+491701234567", "0170 1234567"),
        ("+442079460958", "+44 20 7946 0958"),
        ("101", "101"),
        (None, None),
    ],
)
def test_numbers_are_shown_as_people_write_them(stored: str | None, shown: str | None) -> None:
    assert display_form(stored, region="DE") == shown


@pytest.mark.feature("SRCH-3")
@pytest.mark.parametrize(
    "typed",
    ["0170 1234567", "+49 30 123456", "089/4567-12", "+44 20 7946 0958", "+33 1 23 45 67 89"],
)
def test_number_variants_from_the_shown_form_equal_the_parsed_ones(typed: str) -> None:
    """The phonebook hands its stored display forms to the index to spare parsing; the
    digit strings a number is found by must not change by that."""
    number = typed_number("work", typed, "DE")
    assert number_variants([number.e164], displayed=[number.national]) == number_variants(
        [number.e164]
    )
    assert len(number_variants([number.e164])) == 2
