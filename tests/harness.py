"""Test harness: a fresh real database per test and a real server on a loopback port.

SQLite by default; PostgreSQL when ``TEAMLINE_TEST_DATABASE_URL`` is set (tables are
truncated between tests). Redis for the bus when a test asks for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from teamline.accounts.schemas import UserCreateIn
from teamline.app import SERVER_OPTIONS, create_app
from teamline.client import ApiError, Client
from teamline.config import Settings, load_settings
from teamline.container import Container
from teamline.core.migrate import upgrade
from teamline.models import Base

PG_URL = os.environ.get("TEAMLINE_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEAMLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct horse"

# Cheap argon2 so that tests can sign in often; production uses the defaults.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


def async_url(url: str) -> str:
    return load_settings(database_url=url).sqlalchemy_url


async def migrate_template(directory: Path) -> Path | None:
    """Migrate once per run: a SQLite template file, or the PostgreSQL test database."""
    if PG_URL:
        engine = create_async_engine(async_url(PG_URL))
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        await engine.dispose()
        return None
    template = directory / "template.db"
    engine = create_async_engine(f"sqlite+aiosqlite:///{template}")
    await upgrade(engine)
    await engine.dispose()
    return template


async def fresh_database(template: Path | None, data_dir: Path) -> str:
    """A database URL with the newest schema and no rows."""
    if PG_URL:
        engine = create_async_engine(async_url(PG_URL))
        # search_words: the search index's table on PostgreSQL, which the models do not hold
        names = ", ".join([*(t.name for t in Base.metadata.sorted_tables), "search_words"])
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} CASCADE"))
            # The migrations' one row of the event log, as in a new database.
            await conn.execute(
                text("INSERT INTO event_log (id, last_id, pruned_through) VALUES (1, 0, 0)")
            )
        await engine.dispose()
        return PG_URL
    assert template is not None
    target = data_dir / "teamline.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def node_settings(data_dir: Path, database_url: str, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url, **{**FAST_HASHING, **overrides})


@dataclass
class Server:
    """A real Teamline node serving on a loopback port inside the test's event loop."""

    settings: Settings
    base_url: str
    app_container: Container
    clients: list[Client] = field(default_factory=list)

    @property
    def container(self) -> Container:
        return self.app_container

    def client(self, token: str | None = None) -> Client:
        # Generous: a test must not fail because a loaded machine answered a request slowly.
        client = Client(self.base_url, token, timeout=60.0)
        self.clients.append(client)
        return client

    async def create_user(self, login: str, **fields: Any) -> dict[str, Any]:
        fields.setdefault("display_name", login.title())
        fields.setdefault("password", PASSWORD)
        user = await self.container.accounts.create_user(UserCreateIn(login=login, **fields))
        return user.model_dump(mode="json")

    async def second_device(self, login: str) -> Client:
        """Another device (its own token) of an existing user."""
        client = self.client()
        await client.sign_in(login, PASSWORD, device_name="second")
        return client

    async def signed_in(self, login: str, **fields: Any) -> Client:
        """A new user and a client signed in as them."""
        await self.create_user(login, **fields)
        client = self.client()
        await client.sign_in(login, fields.get("password", PASSWORD))
        return client


@contextlib.asynccontextmanager
async def run_server(settings: Settings) -> AsyncIterator[Server]:
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        **SERVER_OPTIONS,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during start-up")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    node = Server(settings.model_copy(update={"public_url": base}), base, app.state.container)
    node.app_container.settings.public_url = base
    try:
        yield node
    finally:
        for client in node.clients:
            await client.aclose()
        server.should_exit = True
        await task


def uid(client: Client) -> str:
    """The id of the user a client is signed in as."""
    assert client.account is not None
    return str(client.account["id"])


def unique_channel() -> str:
    return f"teamline-test:{secrets.token_hex(4)}"


async def expect_error(awaitable: Any, status: int, code: str) -> ApiError:
    """Await ``awaitable`` and check that the API answered with ``status`` and ``code``."""
    try:
        await awaitable
    except ApiError as exc:
        assert (exc.status, exc.code) == (status, code), f"{exc.status} {exc.code}: {exc.message}"
        assert exc.message, "every error carries a message for a person"
        return exc
    raise AssertionError(f"expected {status} {code}, the call succeeded")
