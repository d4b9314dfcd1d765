"""REST calls of the SDK."""

from __future__ import annotations

from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from teamline.client.events import EventStream


class ApiError(Exception):
    """An error answer of the API: ``status``, the stable ``code``, the ``message``."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def code_from_url(url: str) -> str:
    """The pairing code in a pairing URL (``<public url>/pair#<code>``)."""
    return urlsplit(url).fragment


class Client:
    """An async client of one Teamline server, acting as one device (one token)."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.account: dict[str, Any] | None = None
        self.device: dict[str, Any] | None = None
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- plumbing ---------------------------------------------------------------------
    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request under ``/api/v1``; raises ApiError for an error answer."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        response = await self._http.request(method, "/api/v1" + path, headers=headers, **kwargs)
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
            except (ValueError, KeyError, TypeError):
                error = {"code": "http-error", "message": response.text, "details": {}}
            raise ApiError(
                response.status_code, error["code"], error["message"], error.get("details", {})
            )
        return response

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        return response.json() if response.content else None

    def _adopt(self, session: dict[str, Any]) -> dict[str, Any]:
        self.token = session["token"]
        self.account = session["user"]
        self.device = session["device"]
        return session

    # -- sessions and pairing ---------------------------------------------------------
    async def sign_in(
        self, login: str, password: str, device_name: str | None = None
    ) -> dict[str, Any]:
        body = {"login": login, "password": password, "device_name": device_name}
        return self._adopt(await self._json("POST", "/sessions", json=body))

    async def sign_out(self) -> None:
        await self.request("DELETE", "/sessions/current")
        self.token = None

    async def start_pairing(self, password: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("POST", "/pairings", json={"password": password})
        return result

    async def regenerate_pairing(self, pairing_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("POST", f"/pairings/{pairing_id}/regenerate")
        return result

    async def pairing_qr(self, pairing_id: str, kind: str = "svg") -> bytes:
        return (await self.request("GET", f"/pairings/{pairing_id}/qr.{kind}")).content

    async def redeem_pairing(self, code_or_url: str, **fields: Any) -> dict[str, Any]:
        """Redeem a code (or the whole pairing URL); ``mobile_number``, ``device_name``."""
        code = code_from_url(code_or_url) if "#" in code_or_url else code_or_url
        return self._adopt(
            await self._json("POST", "/pairings/redeem", json={"code": code, **fields})
        )

    async def devices(self) -> list[dict[str, Any]]:
        return list((await self._json("GET", "/devices"))["devices"])

    async def unpair(self, device_id: str) -> None:
        await self.request("DELETE", f"/devices/{device_id}")

    # -- me, colleagues, presence, settings -------------------------------------------
    async def me(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", "/me")
        return result

    async def users(self) -> list[dict[str, Any]]:
        return list((await self._json("GET", "/users"))["users"])

    async def user(self, user_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", f"/users/{user_id}")
        return result

    async def set_presence(self, state: str, text: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"state": state}
        if text is not None:
            body["text"] = text
        result: dict[str, Any] = await self._json("PUT", "/me/presence", json=body)
        return result

    async def settings(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", "/me/settings")
        return result

    async def update_settings(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("PATCH", "/me/settings", json=fields)
        return result

    async def change_password(self, current: str, new: str) -> None:
        await self.request("POST", "/me/password", json={"current": current, "new": new})

    async def upload_avatar(
        self, data: bytes, filename: str = "avatar.png", content_type: str = "image/png"
    ) -> int:
        files = {"file": (filename, data, content_type)}
        return int((await self._json("PUT", "/me/avatar", files=files))["avatar_version"])

    async def generate_avatar(self) -> int:
        return int((await self._json("POST", "/me/avatar/generate"))["avatar_version"])

    async def avatar(self, user_id: str) -> tuple[str, bytes]:
        response = await self.request("GET", f"/users/{user_id}/avatar")
        return response.headers["content-type"], response.content

    # -- administration ---------------------------------------------------------------
    async def admin_users(self) -> list[dict[str, Any]]:
        return list((await self._json("GET", "/admin/users"))["users"])

    async def admin_create_user(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("POST", "/admin/users", json=fields)
        return result

    async def admin_update_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("PATCH", f"/admin/users/{user_id}", json=fields)
        return result

    async def admin_delete_user(self, user_id: str) -> None:
        await self.request("DELETE", f"/admin/users/{user_id}")

    async def admin_pair(self, user_id: str, password: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(
            "POST", f"/admin/users/{user_id}/pairings", json={"password": password}
        )
        return result

    async def admin_unpair(self, user_id: str, device_id: str) -> None:
        await self.request("DELETE", f"/admin/users/{user_id}/devices/{device_id}")

    # -- events -----------------------------------------------------------------------
    def events(self, since: int | None = None) -> EventStream:
        """The event socket of this device (use as ``async with``)."""
        if not self.token:
            raise RuntimeError("sign in first")
        ws_base = "ws" + self.base_url[len("http") :]
        return EventStream(f"{ws_base}/api/v1/events", self.token, since)

    # -- call journal -----------------------------------------------------------------
    async def journal(self, **filters: Any) -> dict[str, Any]:
        """``{entries, missed_unseen}``; filters ``direction``, ``result``, ``internal``,
        ``limit``, ``before`` (None values are left out)."""
        params = {
            k: str(v).lower() if isinstance(v, bool) else v
            for k, v in filters.items()
            if v is not None
        }
        result: dict[str, Any] = await self._json("GET", "/journal", params=params)
        return result

    async def journal_entry(self, entry_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", f"/journal/{entry_id}")
        return result

    async def delete_journal_entry(self, entry_id: str) -> None:
        await self.request("DELETE", f"/journal/{entry_id}")

    async def clear_journal(self) -> None:
        await self.request("DELETE", "/journal")

    async def mark_journal_seen(self) -> None:
        await self.request("POST", "/journal/seen")

    # -- phonebooks and favorites -----------------------------------------------------
    async def phonebook_entries(
        self, book: str, q: str | None = None, limit: int | None = None, offset: int = 0
    ) -> dict[str, Any]:
        """``{entries, total}`` of ``company`` or ``private``, sorted by display name."""
        params: dict[str, Any] = {"offset": offset}
        if q is not None:
            params["q"] = q
        if limit is not None:
            params["limit"] = limit
        result: dict[str, Any] = await self._json(
            "GET", f"/phonebooks/{book}/entries", params=params
        )
        return result

    async def phonebook_entry(self, book: str, entry_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", f"/phonebooks/{book}/entries/{entry_id}")
        return result

    async def create_phonebook_entry(self, book: str, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(
            "POST", f"/phonebooks/{book}/entries", json=fields
        )
        return result

    async def update_phonebook_entry(
        self, book: str, entry_id: str, **fields: Any
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(
            "PATCH", f"/phonebooks/{book}/entries/{entry_id}", json=fields
        )
        return result

    async def delete_phonebook_entry(self, book: str, entry_id: str) -> None:
        await self.request("DELETE", f"/phonebooks/{book}/entries/{entry_id}")

    async def import_phonebook(
        self, book: str, content: bytes, content_type: str = "text/vcard"
    ) -> dict[str, Any]:
        """``{imported, updated, errors: [{line, message}]}``."""
        result: dict[str, Any] = await self._json(
            "POST",
            f"/phonebooks/{book}/import",
            content=content,
            headers={"Content-Type": content_type},
        )
        return result

    async def export_phonebook(self, book: str) -> bytes:
        """The book as vCard 3.0."""
        return (await self.request("GET", f"/phonebooks/{book}/export.vcf")).content

    async def resolve_number(self, number: str) -> dict[str, Any]:
        """``{name, source, ref_id, number_e164}`` for a number; ApiError 404 if unknown."""
        result: dict[str, Any] = await self._json(
            "GET", "/phonebooks/resolve", params={"number": number}
        )
        return result

    async def favorites(self) -> list[dict[str, Any]]:
        return list((await self._json("GET", "/contacts/favorites"))["favorites"])

    async def add_favorite(self, kind: str, target_id: str) -> None:
        await self.request("PUT", f"/contacts/favorites/{kind}/{target_id}")

    async def remove_favorite(self, kind: str, target_id: str) -> None:
        await self.request("DELETE", f"/contacts/favorites/{kind}/{target_id}")

    # -- contacts, chat, groups ---------------------------------------------------------
    async def contacts(self, **params: Any) -> dict[str, Any]:
        """The contact list; ``q``, ``filter`` and ``sort`` as in the API."""
        query = {k: v for k, v in params.items() if v is not None}
        return dict(await self._json("GET", "/contacts", params=query))

    async def open_conversation(self, user_id: str) -> dict[str, Any]:
        """The 1:1 conversation with a colleague (created when new)."""
        return dict(await self._json("POST", "/conversations", json={"user_id": user_id}))

    async def conversations(self) -> dict[str, Any]:
        return dict(await self._json("GET", "/conversations"))

    async def conversation(self, conversation_id: str) -> dict[str, Any]:
        return dict(await self._json("GET", f"/conversations/{conversation_id}"))

    async def messages(
        self, conversation_id: str, *, before: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        params = {k: v for k, v in {"before": before, "limit": limit}.items() if v is not None}
        data = await self._json("GET", f"/conversations/{conversation_id}/messages", params=params)
        return list(data["messages"])

    async def send_message(
        self,
        conversation_id: str,
        text: str = "",
        *,
        client_id: str | None = None,
        attachment_ids: list[str] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"text": text}
        if client_id is not None:
            body["client_id"] = client_id
        if attachment_ids:
            body["attachment_ids"] = attachment_ids
        return dict(
            await self._json("POST", f"/conversations/{conversation_id}/messages", json=body)
        )

    async def edit_message(
        self, conversation_id: str, message_id: str, text: str
    ) -> dict[str, Any]:
        path = f"/conversations/{conversation_id}/messages/{message_id}"
        return dict(await self._json("PATCH", path, json={"text": text}))

    async def delete_message(self, conversation_id: str, message_id: str) -> None:
        await self.request("DELETE", f"/conversations/{conversation_id}/messages/{message_id}")

    async def react(
        self, conversation_id: str, message_id: str, emoji: str, on: bool = True
    ) -> None:
        path = f"/conversations/{conversation_id}/messages/{message_id}/reactions/{emoji}"
        await self.request("PUT" if on else "DELETE", path)

    async def mark_read(self, conversation_id: str, up_to: str) -> None:
        await self.request("POST", f"/conversations/{conversation_id}/read", json={"up_to": up_to})

    async def mark_delivered(self, conversation_id: str, up_to: str) -> None:
        path = f"/conversations/{conversation_id}/delivered"
        await self.request("POST", path, json={"up_to": up_to})

    async def mute(self, conversation_id: str, muted: bool = True) -> None:
        path = f"/conversations/{conversation_id}/mute"
        await self.request("PUT", path, json={"muted": muted})

    async def upload_attachment(
        self, conversation_id: str, name: str, content: bytes, content_type: str
    ) -> dict[str, Any]:
        return dict(
            await self._json(
                "POST",
                f"/conversations/{conversation_id}/attachments",
                params={"name": name},
                content=content,
                headers={"Content-Type": content_type},
            )
        )

    async def attachment(self, attachment_id: str, *, preview: bool = False) -> httpx.Response:
        suffix = "/preview" if preview else ""
        return await self.request("GET", f"/attachments/{attachment_id}{suffix}")

    async def create_group(self, name: str, member_ids: list[str]) -> dict[str, Any]:
        body = {"name": name, "member_ids": member_ids}
        return dict(await self._json("POST", "/groups", json=body))

    async def groups(self) -> list[dict[str, Any]]:
        return list((await self._json("GET", "/groups"))["groups"])

    async def group(self, group_id: str) -> dict[str, Any]:
        return dict(await self._json("GET", f"/groups/{group_id}"))

    async def rename_group(self, group_id: str, name: str) -> dict[str, Any]:
        return dict(await self._json("PATCH", f"/groups/{group_id}", json={"name": name}))

    async def delete_group(self, group_id: str) -> None:
        await self.request("DELETE", f"/groups/{group_id}")

    async def add_group_member(self, group_id: str, user_id: str) -> None:
        await self.request("PUT", f"/groups/{group_id}/members/{user_id}")

    async def remove_group_member(self, group_id: str, user_id: str) -> None:
        await self.request("DELETE", f"/groups/{group_id}/members/{user_id}")

    async def mute_group(self, group_id: str, muted: bool = True) -> None:
        await self.request("PUT", f"/groups/{group_id}/mute", json={"muted": muted})

    async def upload_group_picture(
        self, group_id: str, content: bytes, filename: str = "picture.png"
    ) -> dict[str, Any]:
        files = {"file": (filename, content, "application/octet-stream")}
        return dict(await self._json("PUT", f"/groups/{group_id}/picture", files=files))
