"""Statements of a hot path, compiled once per dialect and run straight through the driver.

``session.execute(statement)`` builds the statement's cache key, looks its compiled form
up, processes each parameter and (for ORM entities) runs the ORM's execution layer: on a
chat send's five small statements that was about as much CPU as SQLite's own work. A
``Prepared`` statement does that once per dialect; each run only converts the parameters
whose type needs it (e.g. a timestamp for SQLite) and hands SQL text and a tuple to the
driver. Results come back as the driver gives them (no result processing): use it for
statements whose columns are strings, integers or booleans.

Only statements without expanding parameters (``IN`` lists) can be prepared this way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    defaults: dict[str, Any]  # the values of binds the statement itself holds (literals)


class Prepared:
    """A Core statement with named bind parameters, run with ``await prepared(session, …)``."""

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

    async def __call__(
        self, session: AsyncSession, **values: Any
    ) -> CursorResult[*tuple[Any, ...]]:
        connection = await session.connection()
        dialect = connection.dialect
        return await connection.exec_driver_sql(
            self.compiled(dialect).sql, self.parameters(dialect, values)
        )

    async def many(
        self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]
    ) -> CursorResult[*tuple[Any, ...]]:
        """The statement once per row, as one ``executemany``."""
        connection = await session.connection()
        dialect = connection.dialect
        return await connection.exec_driver_sql(
            self.compiled(dialect).sql, [self.parameters(dialect, row) for row in rows]
        )
