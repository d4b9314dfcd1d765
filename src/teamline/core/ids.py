"""Identifiers and time."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime


def new_id() -> str:
    """A 24-hex-digit id: 48 bits of milliseconds, then 48 random bits (sorts by creation)."""
    return f"{int(time.time() * 1000):012x}{secrets.token_hex(6)}"


def utcnow() -> datetime:
    return datetime.now(UTC)
