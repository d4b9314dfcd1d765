"""Request and response bodies of the push endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from teamline.push.webpush import b64url_decode

_B64URL = r"^[A-Za-z0-9_-]+={0,2}$"


class PublicKeyOut(BaseModel):
    public_key: str = Field(description="The VAPID application server key, base64url")


class SubscriptionKeys(BaseModel):
    p256dh: str = Field(min_length=80, max_length=120, pattern=_B64URL)
    auth: str = Field(min_length=16, max_length=32, pattern=_B64URL)

    @field_validator("p256dh")
    @classmethod
    def _p256_point(cls, value: str) -> str:
        point = b64url_decode(value.rstrip("="))
        if len(point) != 65 or point[0] != 4:
            raise ValueError("p256dh must be an uncompressed P-256 public key")
        return value.rstrip("=")

    @field_validator("auth")
    @classmethod
    def _auth_secret(cls, value: str) -> str:
        if len(b64url_decode(value.rstrip("="))) != 16:
            raise ValueError("auth must be a 16-byte secret")
        return value.rstrip("=")


class SubscriptionIn(BaseModel):
    """``PushSubscription.toJSON()`` of the browser (``expirationTime`` is ignored)."""

    endpoint: str = Field(min_length=10, max_length=2000, pattern=r"^https?://")
    keys: SubscriptionKeys
