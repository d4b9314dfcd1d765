"""Route: the contact list (CONT-4…9)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from teamline.contacts.schemas import ContactFilter, ContactSort, ContactsOut
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["contacts"])


@router.get("/contacts", response_model=ContactsOut)
async def contacts(
    caller: Caller,
    app: App,
    q: Annotated[str | None, Query(max_length=200)] = None,
    filter: Annotated[ContactFilter | None, Query()] = None,
    sort: Annotated[ContactSort | None, Query()] = None,
) -> ContactsOut:
    """Colleagues, my groups and favourite phonebook entries; favourites first, then by
    ``sort`` (default: my ``contact_sort`` setting)."""
    return await app.contacts.contacts(caller, q=q, filter_=filter, sort=sort)
