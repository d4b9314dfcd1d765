"""Fixtures for every test: a real database, a real server, SDK clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import (
    Server,
    fresh_database,
    migrate_template,
    node_settings,
    run_server,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return asyncio.run(migrate_template(tmp_path_factory.mktemp("template")))


@pytest.fixture
async def database_url(db_template: Path | None, tmp_path: Path) -> str:
    return await fresh_database(db_template, tmp_path)


@pytest.fixture
async def server(database_url: str, tmp_path: Path) -> AsyncIterator[Server]:
    async with run_server(node_settings(tmp_path, database_url)) as node:
        yield node
