"""Errors of the call journal."""

from __future__ import annotations

from teamline.core.errors import InvalidInput, NotFound


class NoSuchEntry(NotFound):
    """No journal entry with this id among the caller's own (others' are never revealed)."""


class UnknownPageCursor(InvalidInput):
    """``before`` names no entry of the caller's journal."""
