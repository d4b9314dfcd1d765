"""The presence object of the API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ManualState = Literal["available", "away", "dnd"]
PhoneState = Literal["free", "ringing", "in-call", "on-hold"]
Effective = Literal["available", "away", "dnd", "offline"]


class PresenceOut(BaseModel):
    state: ManualState
    text: str
    auto_away: bool
    online: bool
    phone: PhoneState
    effective: Effective


class PresenceIn(BaseModel):
    state: ManualState
    text: str | None = Field(None, max_length=200)


def effective(state: str, *, online: bool, auto_away: bool) -> Effective:
    """What others see: offline without a live client; DND wins over away."""
    if not online:
        return "offline"
    if state == "dnd":
        return "dnd"
    if state == "away" or auto_away:
        return "away"
    return "available"
