"""Schema migrations (Alembic), run by ``teamline serve`` on start and by the tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Several nodes may start at once on one PostgreSQL; one migrates, the others wait.
ADVISORY_LOCK = 0x7EA41E


# Structures the migrations create by hand, per database, that the models do not describe:
# the FTS5 tables (and their shadow tables) on SQLite, the words table on PostgreSQL (see
# teamline.search.index).
UNMODELLED_TABLES = ("search_fts", "search_chat_fts", "search_numbers", "search_words")
UNMODELLED_COLUMNS: set[tuple[str, str]] = set()
UNMODELLED_INDEXES: set[str] = set()


def include_object(obj: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
    """Alembic's filter for comparing the database with the models."""
    if kind == "table" and name and name.startswith(UNMODELLED_TABLES):
        return False
    if kind == "index" and name in UNMODELLED_INDEXES:
        return False
    table = getattr(getattr(obj, "table", None), "name", None)
    return not (kind == "column" and (table, name) in UNMODELLED_COLUMNS)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database up to the newest schema over ``engine``."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"))
        await connection.run_sync(_upgrade)
