"""Routes: phonebooks (entries, import, export), caller-name resolution, favorites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from teamline.phonebook.schemas import (
    Book,
    EntriesOut,
    EntryIn,
    EntryOut,
    EntryPatchIn,
    FavoriteKind,
    FavoritesOut,
    ImportResultOut,
    ResolutionOut,
)
from teamline.web.deps import App, Caller, read_body_limited

router = APIRouter(prefix="/api/v1", tags=["phonebook"])


@router.get("/phonebooks/resolve", response_model=ResolutionOut)
async def resolve_number(
    caller: Caller, app: App, number: Annotated[str, Query(min_length=1, max_length=64)]
) -> ResolutionOut:
    """The name for a number (BOOK-3): colleagues, then my private book, then the company's."""
    return await app.phonebook.resolve_number(caller, number)


@router.get("/phonebooks/{book}/entries", response_model=EntriesOut)
async def list_entries(
    book: Book,
    caller: Caller,
    app: App,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> EntriesOut:
    return await app.phonebook.list_entries(caller, book, q=q, limit=limit, offset=offset)


@router.post("/phonebooks/{book}/entries", status_code=201, response_model=EntryOut)
async def create_entry(book: Book, body: EntryIn, caller: Caller, app: App) -> EntryOut:
    return await app.phonebook.create_entry(caller, book, body)


@router.get("/phonebooks/{book}/entries/{entry_id}", response_model=EntryOut)
async def get_entry(book: Book, entry_id: str, caller: Caller, app: App) -> EntryOut:
    return await app.phonebook.get_entry(caller, book, entry_id)


@router.patch("/phonebooks/{book}/entries/{entry_id}", response_model=EntryOut)
async def update_entry(
    book: Book, entry_id: str, body: EntryPatchIn, caller: Caller, app: App
) -> EntryOut:
    return await app.phonebook.update_entry(caller, book, entry_id, body)


@router.delete("/phonebooks/{book}/entries/{entry_id}", status_code=204)
async def delete_entry(book: Book, entry_id: str, caller: Caller, app: App) -> Response:
    await app.phonebook.delete_entry(caller, book, entry_id)
    return Response(status_code=204)


@router.post("/phonebooks/{book}/import", response_model=ImportResultOut)
async def import_file(book: Book, request: Request, caller: Caller, app: App) -> ImportResultOut:
    """Import a CSV or vCard file sent as the body (kind by Content-Type, ≤ 50 MB)."""
    body = await read_body_limited(request, app.phonebook.import_max_bytes)
    content_type = request.headers.get("content-type")
    return await app.phonebook.import_file(caller, book, body, content_type)


@router.get("/phonebooks/{book}/export.vcf")
async def export_vcards(book: Book, caller: Caller, app: App) -> Response:
    """The book as vCard 3.0; importing it again updates instead of duplicating."""
    text = await app.phonebook.export_vcards(caller, book)
    return Response(
        text,
        media_type="text/vcard; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{book}-phonebook.vcf"'},
    )


@router.get("/contacts/favorites", response_model=FavoritesOut)
async def favorites(caller: Caller, app: App) -> FavoritesOut:
    return await app.phonebook.favorites(caller)


@router.put("/contacts/favorites/{kind}/{target_id}", status_code=204)
async def star(kind: FavoriteKind, target_id: str, caller: Caller, app: App) -> Response:
    """Mark as favorite (BOOK-4, CONT-4); idempotent."""
    await app.phonebook.star(caller, kind, target_id)
    return Response(status_code=204)


@router.delete("/contacts/favorites/{kind}/{target_id}", status_code=204)
async def unstar(kind: FavoriteKind, target_id: str, caller: Caller, app: App) -> Response:
    await app.phonebook.unstar(caller, kind, target_id)
    return Response(status_code=204)
