"""``teamline admin phonebook …``: importing a CSV or vCard file from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamline.core.errors import NotFound
from teamline.phonebook.importing import read_file
from teamline.phonebook.schemas import ImportResultOut

if TYPE_CHECKING:
    from teamline.container import Container

phonebook_app = typer.Typer(help="Company and private phonebooks.", no_args_is_help=True)

KINDS = {".csv": "text/csv", ".vcf": "text/vcard", ".vcard": "text/vcard"}


@phonebook_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    book: Annotated[str, typer.Option("--book", help="company | private")] = "company",
    owner: Annotated[
        str | None, typer.Option("--owner", help="Login of the private book's owner")
    ] = None,
) -> None:
    """Import a CSV or vCard FILE; bad rows are reported with their line numbers.

    Importing the same file again updates the entries instead of adding them twice.
    """
    from teamline.cli import _by_login, _run  # teamline.cli wires this app in: import late

    if book not in ("company", "private"):
        typer.secho("error: --book is company or private", fg="red", err=True)
        raise typer.Exit(2)
    if (book == "private") != (owner is not None):
        typer.secho("error: --owner LOGIN goes with --book private (only)", fg="red", err=True)
        raise typer.Exit(2)

    async def _import(c: Container) -> ImportResultOut:
        owner_id = await _by_login(c, owner) if owner else None
        parsed = read_file(
            file.read_bytes(), KINDS.get(file.suffix.lower()), c.settings.default_region
        )
        if not parsed.contacts and not parsed.problems:
            raise NotFound(f"{file} holds no contacts.")
        with typer.progressbar(length=len(parsed.contacts), label="Importing") as bar:
            return await c.phonebook.import_contacts(book, owner_id, parsed, progress=bar.update)

    result = _run(_import)
    for problem in result.errors:
        typer.secho(f"line {problem.line}: {problem.message}", fg="yellow", err=True)
    typer.echo(f"{result.imported} imported, {result.updated} updated, {len(result.errors)} errors")
    if result.errors:
        raise typer.Exit(1)
