"""What a push message says: small JSON the service worker turns into a notification.

Push services accept about 4 KB of encrypted payload; ours stay under 3 KB by cutting the
message text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_PAYLOAD_BYTES = 3072
MAX_TITLE_CHARS = 100
MAX_BODY_CHARS = 400


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _encode(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def message_body(message: Mapping[str, Any], *, author_name: str, group: bool) -> str:
    """The notification text: the message, or its attachment's name; prefixed by the author
    in a group (the title is the group's name there)."""
    text = str(message.get("text") or "")
    if not text.strip():
        attachments = message.get("attachments") or []
        text = "📎 " + str(attachments[0].get("name", "")) if attachments else ""
    return f"{author_name}: {text}" if group else text


def message_payload(
    message: Mapping[str, Any], *, title: str, body: str, unread_total: int
) -> bytes:
    conversation_id = str(message["conversation_id"])
    payload: dict[str, Any] = {
        "type": "message",
        "conversation_id": conversation_id,
        "message_id": str(message["id"]),
        "title": _cut(title, MAX_TITLE_CHARS),
        "body": _cut(body, MAX_BODY_CHARS),
        "unread_total": unread_total,
        "url": f"/#/chat/{conversation_id}",
    }
    encoded = _encode(payload)
    # Characters can take up to 4 bytes (and escapes more): cut further until it fits.
    while len(encoded) > MAX_PAYLOAD_BYTES and payload["body"]:
        payload["body"] = _cut(payload["body"], max(1, len(payload["body"]) // 2))
        if len(payload["body"]) <= 1:
            payload["body"] = ""
        encoded = _encode(payload)
    return encoded


def read_payload(conversation_id: str, *, unread_total: int) -> bytes:
    return _encode(
        {"type": "read", "conversation_id": conversation_id, "unread_total": unread_total}
    )
