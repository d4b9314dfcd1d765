"""Backup and restore of all data (ADM-3), portable between SQLite and PostgreSQL.

A backup is a gzip'd JSON-lines file: a header line with the schema revision, then one line
per row, ``{"t": table, "r": {column: value}}``, tables in dependency order. Bytes are
base64, timestamps ISO 8601. Restore goes into an empty database of the same revision.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, LargeBinary, Table, delete, insert, select
from sqlalchemy.engine import Connection

from teamline.core.db import Database, UTCDateTime
from teamline.core.errors import Conflict, InvalidInput
from teamline.core.ids import utcnow
from teamline.models import Base
from teamline.search.reindex import reindex

FORMAT = "teamline-backup"
VERSION = 1
# Transient state, rebuilt by running nodes, and the search index, rebuilt from the data
# after a restore: not worth carrying.
SKIPPED = {"live_sockets", "signin_failures", "search_documents"}
BATCH = 1000


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    return value


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def backup(db: Database, path: Path) -> dict[str, int]:
    """Write every table to ``path``; returns the row count per table."""
    counts: dict[str, int] = {}
    async with db.scan() as session:
        revision = await session.run_sync(lambda s: _revision(s.connection()))
        with gzip.open(path, "wt", encoding="utf-8") as out:
            header = {
                "format": FORMAT,
                "version": VERSION,
                "revision": revision,
                "created_at": utcnow().isoformat(),
            }
            out.write(json.dumps(header) + "\n")
            for table in _tables():
                counts[table.name] = 0
                result = await session.stream(select(table))
                async for row in result:
                    record = {c.name: _encode(c, row._mapping[c.name]) for c in table.columns}
                    out.write(json.dumps({"t": table.name, "r": record}) + "\n")
                    counts[table.name] += 1
    return counts


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                yield json.loads(line)
            except ValueError as exc:
                raise InvalidInput(f"Line {number} of the backup is not JSON.") from exc


async def restore(db: Database, path: Path) -> dict[str, int]:
    """Load a backup into an empty database of the same schema revision."""
    try:
        lines = _lines(path)
        header = next(lines)
    except (OSError, StopIteration) as exc:
        raise InvalidInput(f"{path} is not a Teamline backup.") from exc
    if header.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a Teamline backup.")
    tables = {t.name: t for t in _tables()}
    counts = dict.fromkeys(tables, 0)
    async with db.write() as session:
        revision = await session.run_sync(lambda s: _revision(s.connection()))
        if header.get("revision") != revision:
            raise Conflict(
                f"The backup has schema {header.get('revision')}, this database "
                f"{revision}; restore with the Teamline version that wrote it, then upgrade.",
                code="schema-mismatch",
            )
        users = tables["users"]
        if (await session.execute(select(users.c.id).limit(1))).first() is not None:
            raise Conflict(
                "The database is not empty; restore into a new one.", code="database-not-empty"
            )
        # Every node makes a VAPID key when it first starts, this one too: the backup's key
        # replaces it, so that the restored push subscriptions keep working.
        await session.execute(delete(tables["push_vapid_keys"]))
        # The migrations made the event log's row; the backup's carries on its ids.
        await session.execute(delete(tables["event_log"]))
        pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}

        async def flush(name: str) -> None:
            if pending[name]:
                await session.execute(insert(tables[name]), pending[name])
                counts[name] += len(pending[name])
                pending[name] = []

        # Lines come in dependency order, so flushing a table before moving on is safe.
        current = None
        for line in lines:
            name = line.get("t")
            if name not in tables:
                continue
            if current is not None and name != current:
                await flush(current)
            current = name
            table = tables[name]
            row = {c.name: _decode(c, line["r"].get(c.name)) for c in table.columns}
            if name == "presence":
                row.update(online=False, auto_away=False)
            pending[name].append(row)
            if len(pending[name]) >= BATCH:
                await flush(name)
        if current is not None:
            await flush(current)
    await reindex(db)
    return counts
