"""Routes: search and recent searches (SRCH-1…5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from teamline.search.schemas import RecentIn, RecentOut, SearchResults
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchResults)
async def search(
    caller: Caller,
    app: App,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    """Search contacts, phonebooks, my journal and my chats; grouped by source.

    Every fragment must match the start of a word (case and accents ignored); a query of
    only digits, spaces and ``+-()/`` is a phone number matched inside stored numbers.
    """
    return SearchResults(results=await app.search.search(caller.user_id, q, limit))


@router.get("/search/recent", response_model=RecentOut)
async def recent(caller: Caller, app: App) -> RecentOut:
    return RecentOut(recent=await app.search.recent(caller.user_id))


@router.post("/search/recent", status_code=204)
async def remember(body: RecentIn, caller: Caller, app: App) -> Response:
    await app.search.remember(caller.user_id, body.q)
    return Response(status_code=204)


@router.delete("/search/recent", status_code=204)
async def forget(caller: Caller, app: App) -> Response:
    await app.search.forget(caller.user_id)
    return Response(status_code=204)
