"""Statements of a hot path, compiled once per dialect and run straight through the driver.

``session.execute(statement)`` builds the statement's cache key, looks its compiled form
up, processes each parameter and (for ORM entities) runs the ORM's execution layer; on
SQLite, SQLAlchemy's aiosqlite adapter then hands the statement to aiosqlite's thread three
to four times (open a cursor, execute, fetch, close), each a wake-up of that thread and of
the event loop. On a chat send's small statements that was more CPU than SQLite's own work.
A ``Prepared`` statement is compiled once per dialect; each run only converts the
parameters whose type needs it (e.g. a timestamp for SQLite) and, on SQLite, goes to
aiosqlite in *one* hand-off (``execute_fetchall``), on other databases through
``exec_driver_sql``. It runs in the session's transaction like any statement.

What is given up: result rows come as the driver gives them (no result processing: use it
for columns that are strings, integers or booleans), SQLAlchemy's statement events and echo
do not see SQLite runs, and the statement cannot have expanding parameters (``IN`` lists).
Driver errors are translated into SQLAlchemy's (``IntegrityError``, ``OperationalError``)
as ``session.execute`` would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    defaults: dict[str, Any]  # the values of binds the statement itself holds (literals)


class Prepared:
    """A Core statement with named bind parameters: ``rows = await prepared(session, …)``."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            if not compiled.positional or compiled.positiontup is None:
                raise TypeError(f"{dialect.name}: a prepared statement needs positional binds")
            names = tuple(compiled.positiontup)
            processors = tuple(
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                for name in names
            )
            defaults = {
                name: bind.effective_value
                for name, bind in compiled.binds.items()
                if not bind.required
            }
            found = _Compiled(compiled.string, names, processors, defaults)
            self._compiled[dialect.name] = found
        return found

    def parameters(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[Any, ...]:
        compiled = self.compiled(dialect)
        if compiled.defaults:
            values = {**compiled.defaults, **values}
        return tuple(
            values[name] if process is None else process(values[name])
            for name, process in zip(compiled.names, compiled.processors, strict=True)
        )

    async def __call__(self, session: AsyncSession, **values: Any) -> list[tuple[Any, ...]]:
        """Run once; the rows it returns (none for a statement without ``RETURNING``)."""
        connection = await session.connection()
        dialect = connection.dialect
        sql = self.compiled(dialect).sql
        parameters = self.parameters(dialect, values)
        if dialect.name == "sqlite":
            return await run_sqlite(connection, sql, parameters)
        result = await connection.exec_driver_sql(sql, parameters)
        return [tuple(row) for row in result.all()] if result.returns_rows else []

    async def many(self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per row, as one ``executemany``."""
        connection = await session.connection()
        dialect = connection.dialect
        sql = self.compiled(dialect).sql
        parameters = [self.parameters(dialect, row) for row in rows]
        if dialect.name == "sqlite":
            await run_sqlite(connection, sql, parameters, many=True)
        else:
            await connection.exec_driver_sql(sql, parameters)


async def run_sqlite(
    connection: AsyncConnection,
    sql: str,
    parameters: Sequence[Any],
    *,
    many: bool = False,
) -> list[tuple[Any, ...]]:
    """``sql`` on the aiosqlite connection under ``connection``, in one hand-off."""
    driver: Any = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    try:
        if many:
            await driver.executemany(sql, parameters)
            return []
        return [tuple(row) for row in await driver.execute_fetchall(sql, parameters)]
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, parameters, exc, sqlite3.Error) from exc
