"""A Web Push service on loopback, and browser-like subscribers for it.

Speaks the push service's side of RFC 8030 for real: it takes the HTTP POST the application
server sends, checks the VAPID ``Authorization`` header (RFC 8292: ES256 JWT, ``aud``, ``exp``,
``sub``, ``k``) and decrypts the ``aes128gcm`` body (RFC 8291) with the subscriber's private
key and auth secret, the way a browser would after the push service relayed it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import http_ece
import uvicorn
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Push:
    """One push message as the push service received it, decrypted."""

    headers: dict[str, str]
    body: bytes
    payload: dict[str, Any]
    claims: dict[str, Any]
    vapid_key: str

    @property
    def ttl(self) -> int:
        return int(self.headers["ttl"])

    @property
    def topic(self) -> str | None:
        return self.headers.get("topic")


@dataclass
class Subscriber:
    """A browser's push subscription: its own P-256 key pair and auth secret."""

    service: PushServiceOnLoopback
    token: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    pushes: list[Push] = field(default_factory=list)
    answer: int = 201  # what the push service answers for this subscription
    hold: asyncio.Event | None = None  # when set, answers wait for it

    @property
    def endpoint(self) -> str:
        return f"{self.service.base_url}/push/{self.token}"

    def subscription(self) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives a page."""
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> bytes:
        return bytes(
            http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        )


def verify_vapid(authorization: str) -> tuple[dict[str, Any], str]:
    """Check ``vapid t=<jwt>,k=<key>``: the ES256 signature against ``k``; returns
    (claims, k). Raises AssertionError or InvalidSignature when it does not hold."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", authorization
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    assert header == {"typ": "JWT", "alg": "ES256"}, header
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    public.verify(
        encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        ),
        f"{header_b64}.{claims_b64}".encode("ascii"),
        ec.ECDSA(hashes.SHA256()),
    )
    return json.loads(unb64url(claims_b64)), key


class PushServiceOnLoopback:
    """An ASGI push service; ``await service.received(n)`` waits for the n-th push."""

    def __init__(self) -> None:
        self.base_url = ""
        self.subscribers: dict[str, Subscriber] = {}
        self.requests = 0
        self.errors: list[str] = []
        self._arrived = asyncio.Condition()

    def subscriber(self) -> Subscriber:
        sub = Subscriber(self, token=b64url(os.urandom(12)))
        self.subscribers[sub.token] = sub
        return sub

    async def wait_for(self, sub: Subscriber, count: int, timeout: float = 10.0) -> list[Push]:
        """Wait until ``sub`` has received ``count`` pushes; returns them all."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(sub.pushes) >= count or bool(self.errors))
        assert not self.errors, self.errors
        return sub.pushes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        status = await self._accept(scope["method"], scope["path"], headers, body)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def _accept(self, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
        self.requests += 1
        sub = self.subscribers.get(path.rsplit("/", 1)[-1])
        if method != "POST" or sub is None:
            return 404
        try:
            push = self._check(sub, headers, body)
        except (AssertionError, InvalidSignature, KeyError, ValueError) as exc:
            async with self._arrived:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                self._arrived.notify_all()
            return 400
        async with self._arrived:
            sub.pushes.append(push)
            self._arrived.notify_all()
        if sub.hold is not None:
            await sub.hold.wait()
        return sub.answer

    def _check(self, sub: Subscriber, headers: dict[str, str], body: bytes) -> Push:
        claims, key = verify_vapid(headers["authorization"])
        parts = urlsplit(sub.endpoint)
        assert claims["aud"] == f"{parts.scheme}://{parts.netloc}", claims
        now = time.time()
        assert now < claims["exp"] <= now + 24 * 3600, claims
        assert str(claims["sub"]).startswith(("mailto:", "https://")), claims
        assert headers["content-encoding"] == "aes128gcm", headers
        assert int(headers["ttl"]) >= 0
        payload = json.loads(sub.decrypt(body))
        return Push(headers=headers, body=body, payload=payload, claims=claims, vapid_key=key)


@contextlib.asynccontextmanager
async def push_service() -> AsyncIterator[PushServiceOnLoopback]:
    """Serve a push service on 127.0.0.1 (a free port) for the duration of the block."""
    service = PushServiceOnLoopback()
    config = uvicorn.Config(service, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("push service stopped during start-up")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    service.base_url = f"http://127.0.0.1:{port}"
    try:
        yield service
    finally:
        server.should_exit = True
        await task
