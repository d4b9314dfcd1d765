"""Errors of pairing (API.md fixes the codes)."""

from __future__ import annotations

from teamline.core.errors import Conflict, Forbidden, Gone, NotFound


class PairingCodeUnknown(NotFound):
    code = "pairing-code-unknown"


class PairingCodeUsed(Conflict):
    code = "pairing-code-used"


class PairingCodeExpired(Gone):
    """Expired, or replaced by a regenerated code."""

    code = "pairing-code-expired"


class PasswordRequired(Forbidden):
    """Regenerating is allowed only for a while after the password was given."""

    code = "password-required"
