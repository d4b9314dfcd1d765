"""Turning every error into the API's one JSON error shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from teamline.core.errors import TeamlineError

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "file-too-large",
    415: "unsupported-media-type",
}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _sqlstate(exc: DBAPIError) -> str:
    """The SQLSTATE of a driver error (class 22: data exception), when the driver has one."""
    return str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")


def install(app: FastAPI) -> None:
    @app.exception_handler(TeamlineError)
    async def _teamline(_request: Request, exc: TeamlineError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details: dict[str, str] = {}
        for error in exc.errors():
            details.setdefault(_field(tuple(error.get("loc", ()))), str(error.get("msg")))
        summary = "; ".join(f"{name}: {msg}" for name, msg in details.items())
        body = {
            "error": {
                "code": "invalid-input",
                "message": f"Some fields are not valid: {summary}",
                "details": details,
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404:
            message = "There is nothing at this address."
        body = {"error": {"code": code, "message": message, "details": {}}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if isinstance(exc, OperationalError):
            return await _busy(request, exc)
        if not (isinstance(exc, DataError) or _sqlstate(exc).startswith("22")):
            return await _unexpected(request, exc)
        # The database refused a value the validation let through: a NUL character in a
        # text (PostgreSQL cannot store it), a number out of the column's range.
        log.info("value refused by the database: %s", exc.orig)
        body = {
            "error": {
                "code": "invalid-input",
                "message": "A value cannot be stored: check for control characters in texts "
                "and for numbers out of range.",
                "details": {},
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _busy(_request: Request, exc: Exception) -> JSONResponse:
        # The database is down, locked past its busy timeout, or out of connections: the
        # request did nothing and may be retried.
        log.warning("database unavailable: %s", exc)
        body = {
            "error": {
                "code": "service-busy",
                "message": "The server is busy or its database is unavailable; try again.",
                "details": {},
            }
        }
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        body = {
            "error": {
                "code": "internal-error",
                "message": "Something went wrong on the server; it was logged.",
                "details": {},
            }
        }
        return JSONResponse(body, status_code=500)
