"""Routes: the call journal (JRNL-1…5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from teamline.journal.schemas import Direction, JournalDetailOut, JournalListOut, Result
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["journal"])


@router.get("/journal", response_model=JournalListOut)
async def journal(
    caller: Caller,
    app: App,
    direction: Direction | None = None,
    result: Result | None = None,
    internal: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[str | None, Query(max_length=32)] = None,
) -> JournalListOut:
    """My calls, newest first; page on with ``before=<last entry id>`` (JRNL-1, JRNL-4)."""
    return await app.journal.list_entries(
        caller.user_id,
        direction=direction,
        result=result,
        internal=internal,
        limit=limit,
        before=before,
    )


@router.post("/journal/seen", status_code=204)
async def mark_seen(caller: Caller, app: App) -> Response:
    """Missed calls seen: the counter goes to 0 on every device (JRNL-5)."""
    await app.journal.mark_seen(caller.user_id)
    return Response(status_code=204)


@router.get("/journal/{entry_id}", response_model=JournalDetailOut)
async def journal_entry(entry_id: str, caller: Caller, app: App) -> JournalDetailOut:
    """One call with its route and the last calls with the same party (JRNL-2, JRNL-3)."""
    return await app.journal.get_entry(caller.user_id, entry_id)


@router.delete("/journal/{entry_id}", status_code=204)
async def delete_journal_entry(entry_id: str, caller: Caller, app: App) -> Response:
    await app.journal.delete_entry(caller.user_id, entry_id)
    return Response(status_code=204)


@router.delete("/journal", status_code=204)
async def clear_journal(caller: Caller, app: App) -> Response:
    """Delete my whole journal (JRNL-5)."""
    await app.journal.clear(caller.user_id)
    return Response(status_code=204)
