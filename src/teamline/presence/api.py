"""Routes: my presence (CONT-1, CONT-2)."""

from __future__ import annotations

from fastapi import APIRouter

from teamline.presence.schemas import PresenceIn, PresenceOut
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["presence"])


@router.put("/me/presence", response_model=PresenceOut)
async def set_presence(body: PresenceIn, caller: Caller, app: App) -> PresenceOut:
    """Choose available / away (be right back) / dnd, with an optional status text."""
    return await app.presence.set_manual(caller.user_id, body.state, body.text)
