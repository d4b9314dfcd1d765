"""Request and response models of pairing (PAIR-1…5)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class PairingStartIn(BaseModel):
    password: str = Field(min_length=1, max_length=1024)


class PairingOut(BaseModel):
    id: str
    url: str
    expires_at: datetime


class RedeemIn(BaseModel):
    code: str = Field(min_length=1, max_length=200)
    mobile_number: str | None = Field(None, max_length=40)
    device_name: str | None = Field(None, max_length=100)
