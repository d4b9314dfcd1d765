"""The ASGI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal, TypedDict

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from teamline import __version__
from teamline.accounts import api as accounts_api
from teamline.chat import api as chat_api
from teamline.config import Settings, load_settings
from teamline.contacts import api as contacts_api
from teamline.container import Container
from teamline.core.migrate import upgrade
from teamline.events import api as events_api
from teamline.events.wire import KeepWebSocketProtocol
from teamline.groups import api as groups_api
from teamline.journal import api as journal_api
from teamline.pairing import api as pairing_api
from teamline.phonebook import api as phonebook_api
from teamline.presence import api as presence_api
from teamline.push import api as push_api
from teamline.search import api as search_api
from teamline.search.reindex import is_empty_but_data_exists, reindex
from teamline.settings import api as settings_api
from teamline.web import errors, static_routes
from teamline.web.logs import redact_tokens

log = logging.getLogger(__name__)

PRUNE_INTERVAL_SECONDS = 3600.0


# How uvicorn serves the app (``teamline serve`` and the test servers alike). WebSockets by
# uvicorn's sans-I/O implementation (its default, the legacy ``websockets`` one, is deprecated)
# and without permessage-deflate: event frames are a few hundred bytes of JSON, and a message
# to a group is sent to every member's sockets, where compressing each copy per socket cost
# more than sending it (100 sockets, 300-byte frames: 9.6 µs of CPU per frame with deflate,
# 4.5 without; the legacy implementation 18.0 and 7.1).
class ServerOptions(TypedDict):
    ws: Literal["websockets-sansio"]
    ws_per_message_deflate: bool


SERVER_OPTIONS: ServerOptions = {"ws": "websockets-sansio", "ws_per_message_deflate": False}


async def _every(seconds: float, job: Callable[[], Awaitable[None]], name: str) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception:  # keep the loop alive; the next round retries
            log.exception("background job %s failed", name)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    redact_tokens()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        container = Container.build(settings)
        await upgrade(container.db.engine)
        if await is_empty_but_data_exists(container.db):
            log.info("search index empty: rebuilt with %d documents", await reindex(container.db))
        await container.start()
        app.state.container = container
        # What start-up made lives as long as the process: moved out of the collector's sight,
        # a full collection no longer walks it. Full collections of 70-180 ms every few
        # seconds were the longest pauses of a busy server (chat fan-out's p99); 1-14 ms after.
        gc.collect()
        gc.freeze()
        jobs = [
            asyncio.create_task(
                _every(settings.node_heartbeat_seconds, container.presence.heartbeat, "heartbeat")
            ),
            asyncio.create_task(
                _every(PRUNE_INTERVAL_SECONDS, container.housekeeping, "housekeeping")
            ),
        ]
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)
            await container.stop()

    app = FastAPI(
        title="Teamline",
        version=__version__,
        summary="Business phone system and team messenger",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(KeepWebSocketProtocol)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> JSONResponse:
        """200 when this node can serve (its database answers)."""
        if await app.state.container.db.ping():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database-unreachable"}, status_code=503)

    # FastAPI tries the routes in this order, each router's in turn: the chat routes (the
    # most frequent requests: sending, reading) first, instead of after nine other routers.
    for module in (
        chat_api,
        accounts_api,
        pairing_api,
        presence_api,
        settings_api,
        events_api,
        phonebook_api,
        journal_api,
        search_api,
        push_api,
        groups_api,
        contacts_api,
    ):
        app.include_router(module.router)
    static_routes.install(app)
    return app
