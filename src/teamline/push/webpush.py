"""The Web Push protocol from the application server's side.

RFC 8030 (the HTTP request to the push service: ``TTL``, ``Topic``, ``Urgency``), RFC 8291
(the payload encrypted for the subscription's P-256 key and auth secret, ``aes128gcm`` of
RFC 8188, via ``http_ece``) and RFC 8292 (VAPID: an ES256 JWT for the endpoint's origin,
signed by ``py_vapid``, sent as ``Authorization: vapid t=<jwt>,k=<public key>``).
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt as vapid_jwt

# RFC 8292 §2: exp no more than 24 hours ahead. A token is reused for a while, then renewed
# well before it runs out.
TOKEN_LIFETIME_SECONDS = 12 * 3600
TOKEN_RENEW_BEFORE_SECONDS = 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_pair() -> tuple[str, str]:
    """A fresh VAPID key pair: (private key as PKCS#8 PEM, public key as base64url point)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return pem, public_key_of(key)


def public_key_of(key: ec.EllipticCurvePrivateKey) -> str:
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the ``aud`` of a VAPID token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class VapidSigner:
    """Signs VAPID tokens with the server's key; one cached token per push service origin."""

    def __init__(self, private_pem: str, subject: str) -> None:
        key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the VAPID key is not an EC key")
        self._key = key
        self.public_key = public_key_of(key)
        self.subject = subject
        self._tokens: dict[str, tuple[str, int]] = {}

    def authorization(self, endpoint: str, *, now: float | None = None) -> str:
        """The ``Authorization`` header value for a request to ``endpoint``."""
        audience = origin(endpoint)
        moment = int(now if now is not None else time.time())
        cached = self._tokens.get(audience)
        if cached is None or cached[1] - moment < TOKEN_RENEW_BEFORE_SECONDS:
            expires = moment + TOKEN_LIFETIME_SECONDS
            claims = {"aud": audience, "exp": expires, "sub": self.subject}
            cached = (cast(str, vapid_jwt.sign(claims, self._key)), expires)
            self._tokens[audience] = cached
        return f"vapid t={cached[0]},k={self.public_key}"


@dataclass(frozen=True)
class Target:
    """One subscribed device."""

    device_id: str
    user_id: str
    endpoint: str
    p256dh: str
    auth: str


def encrypt(payload: bytes, target: Target) -> bytes:
    """The ``aes128gcm`` body for ``target`` (RFC 8291), with a fresh ephemeral key and salt."""
    return cast(
        bytes,
        http_ece.encrypt(
            payload,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=b64url_decode(target.p256dh),
            auth_secret=b64url_decode(target.auth),
            version="aes128gcm",
        ),
    )


async def deliver(
    client: httpx.AsyncClient,
    signer: VapidSigner,
    target: Target,
    payload: bytes,
    *,
    ttl: int,
    topic: str,
    urgency: str,
) -> int:
    """POST one push message to the target's push service; returns the HTTP status."""
    response = await client.post(
        target.endpoint,
        content=encrypt(payload, target),
        headers={
            "Authorization": signer.authorization(target.endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(ttl),
            "Topic": topic,
            "Urgency": urgency,
        },
    )
    return response.status_code
