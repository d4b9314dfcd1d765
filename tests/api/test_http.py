"""The HTTP surface: health, OpenAPI, the error shape, the PWA shell."""

from __future__ import annotations

import httpx
import pytest

from tests.harness import Server

FIXED_PATHS = {
    ("post", "/api/v1/sessions"),
    ("delete", "/api/v1/sessions/current"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/pairings"),
    ("get", "/api/v1/pairings/{pairing_id}/qr.svg"),
    ("get", "/api/v1/pairings/{pairing_id}/qr.png"),
    ("post", "/api/v1/pairings/{pairing_id}/regenerate"),
    ("post", "/api/v1/pairings/redeem"),
    ("get", "/api/v1/devices"),
    ("delete", "/api/v1/devices/{device_id}"),
    ("get", "/api/v1/admin/users"),
    ("post", "/api/v1/admin/users"),
    ("get", "/api/v1/admin/users/{user_id}"),
    ("patch", "/api/v1/admin/users/{user_id}"),
    ("delete", "/api/v1/admin/users/{user_id}"),
    ("post", "/api/v1/admin/users/{user_id}/pairings"),
    ("delete", "/api/v1/admin/users/{user_id}/devices/{device_id}"),
    ("put", "/api/v1/me/presence"),
    ("get", "/api/v1/me/settings"),
    ("patch", "/api/v1/me/settings"),
    ("put", "/api/v1/me/avatar"),
    ("post", "/api/v1/me/avatar/generate"),
    ("post", "/api/v1/me/password"),
}


@pytest.fixture
async def http(server: Server) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.base_url)
    yield client  # type: ignore[misc]
    await client.aclose()


async def test_healthz(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_openapi_lists_the_fixed_points(http: httpx.AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    present = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert present >= FIXED_PATHS


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/nothing-here", 404, "not-found"),
        ("delete", "/api/v1/me", 405, "method-not-allowed"),
        ("get", "/api/v1/devices", 401, "unauthenticated"),
        ("post", "/api/v1/pairings/redeem", 422, "invalid-input"),
    ],
)
async def test_errors_have_one_shape(
    http: httpx.AsyncClient, method: str, path: str, status: int, code: str
) -> None:
    response = await http.request(method, path)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)


async def test_the_shell_is_served_for_app_paths(http: httpx.AsyncClient) -> None:
    for path in ("/", "/pair", "/settings/devices"):
        response = await http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "<html" in response.text.lower()
    worker = await http.get("/sw.js")
    assert worker.status_code == 200
    assert "javascript" in worker.headers["content-type"]
    manifest = await http.get("/manifest.webmanifest")
    assert manifest.json()["start_url"]
    assert (await http.get("/static/does-not-exist.js")).status_code == 404


async def test_control_characters_never_make_a_500(http: httpx.AsyncClient, server: Server) -> None:
    client = await server.signed_in("max")
    headers = {"Authorization": f"Bearer {client.token}"}
    for method, path, body in (
        ("POST", "/api/v1/search/recent", {"q": "a\x00b"}),
        ("PUT", "/api/v1/me/presence", {"state": "dnd", "text": "nul \x00 inside"}),
    ):
        response = await http.request(method, path, json=body, headers=headers)
        # PostgreSQL cannot store NUL in text (422); SQLite can.
        assert response.status_code in (200, 204, 422), response.text
