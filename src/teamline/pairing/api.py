"""Routes: pairing a mobile by QR code (PAIR-1…5)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from teamline.accounts.schemas import SessionOut
from teamline.pairing.schemas import PairingOut, PairingStartIn, RedeemIn
from teamline.web.deps import Admin, App, Caller

router = APIRouter(prefix="/api/v1", tags=["pairing"])

NO_STORE = {"Cache-Control": "no-store"}


@router.post("/pairings", status_code=201, response_model=PairingOut)
async def start_pairing(body: PairingStartIn, caller: Caller, app: App) -> PairingOut:
    """Start pairing my mobile: my password again, then a QR code URL (PAIR-1)."""
    return await app.pairing.start(caller, body.password)


@router.post("/pairings/redeem", status_code=201, response_model=SessionOut)
async def redeem(body: RedeemIn, app: App) -> SessionOut:
    """The mobile redeems the code from the QR code (PAIR-3); no token needed."""
    return await app.pairing.redeem(body)


@router.post("/pairings/{pairing_id}/regenerate", status_code=201, response_model=PairingOut)
async def regenerate(pairing_id: str, caller: Caller, app: App) -> PairingOut:
    """A fresh code; the old one stops working at once (PAIR-2)."""
    return await app.pairing.regenerate(caller, pairing_id)


@router.get("/pairings/{pairing_id}/qr.svg", response_class=Response)
async def qr_svg(pairing_id: str, caller: Caller, app: App) -> Response:
    image = await app.pairing.qr(caller, pairing_id, kind="svg")
    return Response(image, media_type="image/svg+xml", headers=NO_STORE)


@router.get("/pairings/{pairing_id}/qr.png", response_class=Response)
async def qr_png(pairing_id: str, caller: Caller, app: App) -> Response:
    image = await app.pairing.qr(caller, pairing_id, kind="png")
    return Response(image, media_type="image/png", headers=NO_STORE)


@router.post(
    "/admin/users/{user_id}/pairings", status_code=201, response_model=PairingOut, tags=["admin"]
)
async def admin_pairing(user_id: str, body: PairingStartIn, caller: Admin, app: App) -> PairingOut:
    """Pair a mobile on a user's behalf (PAIR-5); the admin confirms with their password."""
    return await app.pairing.start_for(caller, user_id, body.password)
