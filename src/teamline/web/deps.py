"""FastAPI dependencies shared by every domain's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from teamline.accounts.service import Principal
from teamline.container import Container
from teamline.core.errors import file_too_large

bearer = HTTPBearer(auto_error=False, description="A device token from sign-in or pairing")


def _container(request: Request) -> Container:
    app_container: Container = request.app.state.container
    return app_container


async def container(request: Request) -> Container:
    """The node's services. ``async``: FastAPI would run a plain function in a thread."""
    return _container(request)


async def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The signed-in caller; 401 ``unauthenticated`` otherwise."""
    token = credentials.credentials if credentials else None
    return await _container(request).accounts.authenticate(token)


async def admin(caller: Annotated[Principal, Depends(principal)]) -> Principal:
    caller.require_admin()
    return caller


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_body_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes.

    Reads the stream itself (instead of letting the form parser spool it to disk first), so
    an oversize upload costs at most ``limit`` bytes of memory and none of disk.
    """
    declared = request.headers.get("content-length")
    too_large = file_too_large(limit)
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # later parsers (request.form()) read this instead of the stream
    return body


Caller = Annotated[Principal, Depends(principal)]
Admin = Annotated[Principal, Depends(admin)]
App = Annotated[Container, Depends(container)]
