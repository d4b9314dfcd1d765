"""The ``teamline`` command: serve, demo data, administration."""

from __future__ import annotations

import asyncio
import csv
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import ValidationError

from teamline.accounts import store as accounts_store
from teamline.accounts.schemas import AdminUserOut, UserCreateIn, UserPatchIn
from teamline.config import Settings, load_settings
from teamline.container import Container
from teamline.core.errors import NotFound, TeamlineError
from teamline.core.migrate import upgrade
from teamline.demo.data import DEMO_PASSWORD, seed

app = typer.Typer(help="Teamline: business phone system and team messenger.", no_args_is_help=True)
admin_app = typer.Typer(help="Administration.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
admin_app.add_typer(user_app, name="user")

T = TypeVar("T")


def _run(job: Callable[[Container], Awaitable[T]], settings: Settings | None = None) -> T:
    """Run ``job`` against a migrated database with a container of its own."""

    async def _main() -> T:
        config = settings or load_settings()
        config.data_dir.mkdir(parents=True, exist_ok=True)
        container = Container.build(config)
        try:
            await upgrade(container.db.engine)
            await container.start()
            return await job(container)
        finally:
            await container.stop()

    try:
        return asyncio.run(_main())
    except TeamlineError as exc:
        typer.secho(f"error: {exc.message}", fg="red", err=True)
        raise typer.Exit(1) from exc


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    demo: Annotated[bool, typer.Option(help="Create demo data if the database is empty")] = False,
) -> None:
    """Migrate the database and serve the API and the web app."""
    import uvicorn

    from teamline.app import SERVER_OPTIONS, create_app

    overrides = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = load_settings(**overrides)
    created = _run(seed, settings) if demo else False
    address = f"http://{settings.host}:{settings.port}"
    typer.echo(f"Teamline is running at {address}")
    if settings.public_url != address:
        typer.echo(f"Public address (links, QR codes): {settings.public_url}")
    if demo:
        note = "created" if created else "already present"
        typer.echo(f"Demo data {note}. Sign in as: admin / {DEMO_PASSWORD}")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        **SERVER_OPTIONS,
    )


@app.command()
def demo() -> None:
    """Create the demo company (about 20 users) in an empty database."""
    if _run(seed):
        typer.echo(
            f"Demo data created. Sign in as admin / {DEMO_PASSWORD} (all demo users: "
            f"password {DEMO_PASSWORD})."
        )
    else:
        typer.echo("The database already has users; demo data not added.")


def _show(user: AdminUserOut) -> str:
    flags = " (disabled)" if user.disabled else ""
    return (
        f"{user.login:<16} {user.display_name:<30} ext {user.extension or '-':<6} "
        f"{user.role}{flags}"
    )


@user_app.command("add")
def user_add(
    login: str,
    name: Annotated[str, typer.Option("--name", help="Display name")],
    password: Annotated[str, typer.Option("--password")],
    extension: Annotated[str | None, typer.Option("--extension")] = None,
    role: Annotated[str, typer.Option("--role", help="user|phonebook-manager|admin")] = "user",
    mobile: Annotated[str | None, typer.Option("--mobile", help="Mobile number")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
) -> None:
    """Create a user."""
    try:
        data = UserCreateIn(
            login=login,
            display_name=name,
            password=password,
            extension=extension,
            role=role,
            mobile_number=mobile,
            email=email,
        )
    except ValidationError as exc:
        typer.secho(f"error: {_validation_text(exc)}", fg="red", err=True)
        raise typer.Exit(2) from exc

    async def _add(c: Container) -> AdminUserOut:
        return await c.accounts.create_user(data)

    typer.echo(f"created {_show(_run(_add))}")


@user_app.command("list")
def user_list() -> None:
    """List all users."""

    async def _list(c: Container) -> list[AdminUserOut]:
        return await c.accounts.list_users()

    for user in _run(_list):
        typer.echo(_show(user))


async def _by_login(c: Container, login: str) -> str:
    async with c.db.read() as session:
        user = await accounts_store.user_by_login(session, login)
    if user is None:
        raise NotFound(f"There is no user with the login '{login}'.")
    return user.id


def _patch(login: str, patch: UserPatchIn) -> AdminUserOut:
    async def _job(c: Container) -> AdminUserOut:
        return await c.accounts.update_user(await _by_login(c, login), patch)

    return _run(_job)


@user_app.command("set-password")
def user_set_password(
    login: str, password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True)]
) -> None:
    """Set a user's password."""
    _patch(login, UserPatchIn(password=password))
    typer.echo(f"password of {login} changed")


@user_app.command("disable")
def user_disable(login: str) -> None:
    """Disable a user: sign-in refused, every device signed out."""
    typer.echo(f"disabled {_show(_patch(login, UserPatchIn(disabled=True)))}")


@user_app.command("enable")
def user_enable(login: str) -> None:
    """Enable a disabled user again."""
    typer.echo(f"enabled {_show(_patch(login, UserPatchIn(disabled=False)))}")


def _validation_text(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}" for err in exc.errors()
    )


@user_app.command("import")
def user_import(file: Path) -> None:
    """Create users from a CSV file (login,name,password,extension,email,mobile,role).

    Bad rows are reported with their line number; the other rows are imported.
    """
    rows: list[tuple[int, UserCreateIn]] = []
    problems: list[str] = []
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"login", "name"} - set(reader.fieldnames or [])
        if missing:
            typer.secho(f"error: the header lacks {', '.join(sorted(missing))}", fg="red", err=True)
            raise typer.Exit(2)
        for row in reader:
            line = reader.line_num
            try:
                rows.append(
                    (
                        line,
                        UserCreateIn(
                            login=(row.get("login") or "").strip(),
                            display_name=(row.get("name") or "").strip(),
                            password=row.get("password") or None,
                            extension=(row.get("extension") or "").strip() or None,
                            email=(row.get("email") or "").strip() or None,
                            mobile_number=(row.get("mobile") or "").strip() or None,
                            role=(row.get("role") or "user").strip(),
                        ),
                    )
                )
            except ValidationError as exc:
                problems.append(f"line {line}: {_validation_text(exc)}")

    async def _import(c: Container) -> int:
        created = 0
        for line, data in rows:
            try:
                await c.accounts.create_user(data)
                created += 1
            except TeamlineError as exc:
                problems.append(f"line {line}: {exc.message}")
        return created

    created = _run(_import)
    for problem in sorted(problems, key=lambda p: int(p.split()[1].rstrip(":"))):
        typer.secho(problem, fg="yellow", err=True)
    typer.echo(f"{created} users created, {len(problems)} rows refused")
    if problems:
        raise typer.Exit(1)


@admin_app.command("backup")
def backup(file: Path) -> None:
    """Write all data to FILE (gzip'd JSON lines; portable between SQLite and PostgreSQL)."""
    from teamline.backup.service import backup as write_backup

    async def _backup(c: Container) -> dict[str, int]:
        return await write_backup(c.db, file)

    counts = _run(_backup)
    typer.echo(f"backup written to {file}: {sum(counts.values())} rows")


@admin_app.command("restore")
def restore(file: Path) -> None:
    """Load a backup FILE into an empty database (of the same schema version)."""
    from teamline.backup.service import restore as read_backup

    async def _restore(c: Container) -> dict[str, int]:
        return await read_backup(c.db, file)

    counts = _run(_restore)
    typer.echo(f"restored {sum(counts.values())} rows from {file}")


def _phonebook_commands() -> None:
    # Imported here: the phonebook CLI uses this module's helpers.
    from teamline.phonebook.cli import phonebook_app

    admin_app.add_typer(phonebook_app, name="phonebook")


search_app = typer.Typer(help="The search index.", no_args_is_help=True)
admin_app.add_typer(search_app, name="search")


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from users, phonebooks and journals."""
    from teamline.search.reindex import reindex

    async def _reindex(c: Container) -> int:
        return await reindex(c.db)

    typer.echo(f"search index rebuilt: {_run(_reindex)} documents")


_phonebook_commands()


def main() -> None:  # pragma: no cover - console entry point
    app(sys.argv[1:])
