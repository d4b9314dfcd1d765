"""Routes: Web Push key and the calling device's subscription (CHAT-4)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from teamline.push.schemas import PublicKeyOut, SubscriptionIn
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["push"])


@router.get("/push/key", response_model=PublicKeyOut)
async def push_key(caller: Caller, app: App) -> PublicKeyOut:
    """The VAPID application server key to pass to ``PushManager.subscribe``."""
    return PublicKeyOut(public_key=await app.push.public_key())


@router.put("/push/subscription", status_code=204)
async def subscribe(body: SubscriptionIn, caller: Caller, app: App) -> Response:
    """This device's subscription; replaces the one it had."""
    await app.push.subscribe(caller.user_id, caller.device_id, body)
    return Response(status_code=204)


@router.delete("/push/subscription", status_code=204)
async def unsubscribe(caller: Caller, app: App) -> Response:
    """This device gets no more pushes."""
    await app.push.unsubscribe(caller.device_id)
    return Response(status_code=204)
