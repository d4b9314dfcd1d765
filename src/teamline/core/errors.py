"""The error tree every domain raises from, turned into one JSON shape at the edge.

    TeamlineError(status, code, message, details)
     ├── InvalidInput            422 invalid-input
     ├── Unauthenticated         401 unauthenticated
     ├── Forbidden               403 forbidden
     ├── NotFound                404 not-found
     ├── Conflict                409 (code given by the subclass)
     ├── Gone                    410 (code given by the subclass)
     ├── PayloadTooLarge         413 file-too-large
     └── TooManyAttempts         429 too-many-attempts (+ Retry-After)

Domains subclass these with their own stable ``code``; clients switch on the code.
"""

from __future__ import annotations

from typing import Any


class TeamlineError(Exception):
    status: int = 400
    code: str = "bad-request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class InvalidInput(TeamlineError):
    """The request is well-formed but a field's value is not acceptable."""

    status = 422
    code = "invalid-input"


class Unauthenticated(TeamlineError):
    """No token, or a wrong, expired or revoked one."""

    status = 401
    code = "unauthenticated"


class Forbidden(TeamlineError):
    """The caller can see the thing but may not do this to it."""

    status = 403
    code = "forbidden"


class NotFound(TeamlineError):
    """Missing, or not the caller's to see: existence is not revealed."""

    status = 404
    code = "not-found"


class Conflict(TeamlineError):
    status = 409
    code = "conflict"


class Gone(TeamlineError):
    status = 410
    code = "gone"


class PayloadTooLarge(TeamlineError):
    status = 413
    code = "file-too-large"


def file_too_large(limit: int) -> PayloadTooLarge:
    """The 413 for an upload past ``limit`` bytes, the limit said in a person's units."""
    megabytes = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return PayloadTooLarge(
        f"The file is too large; the limit is {megabytes}.", details={"limit_bytes": limit}
    )


class TooManyAttempts(TeamlineError):
    """A rate limit was hit; ``Retry-After`` says when to try again."""

    status = 429
    code = "too-many-attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(
            message,
            details={"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after
