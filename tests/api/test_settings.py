"""Settings, avatar and password (SET-1…7)."""

from __future__ import annotations

import io
import struct
import zlib

import httpx
import pytest
from PIL import Image

from tests.harness import PASSWORD, Server, expect_error


def picture(fmt: str, size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG of a few KB that would inflate to ~2.7 GB of pixels."""
    row = b"\x00" + b"\x00" * (width * 3)
    raw = zlib.compress(row * 64, 9)  # compressed rows; the header claims far more

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.mark.feature("SET-1")
@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
async def test_upload_avatar_is_stored_square(server: Server, fmt: str, mime: str) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    before = (await max_.me())["avatar_version"]
    async with erika.events() as watcher:
        version = await max_.upload_avatar(picture(fmt), f"me.{fmt.lower()}", mime)
        updated = await watcher.wait_for("user.updated", lambda d: d["user"]["login"] == "max")
    assert version == before + 1
    assert updated["data"]["user"]["avatar_version"] == version
    kind, body = await erika.avatar(updated["data"]["user"]["id"])
    assert kind == "image/png"
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (256, 256)


@pytest.mark.feature("SET-1")
async def test_generated_avatar_replaces_the_upload(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann")
    await max_.upload_avatar(picture("PNG"))
    version = await max_.generate_avatar()
    kind, body = await max_.avatar((await max_.me())["id"])
    assert kind.startswith("image/svg+xml")
    assert b">MM</text>" in body
    assert (await max_.me())["avatar_version"] == version


@pytest.mark.feature("SET-1")
async def test_oversize_upload_gets_413(server: Server) -> None:
    max_ = await server.signed_in("max")
    limit = server.container.settings.avatar_max_bytes
    await expect_error(
        max_.upload_avatar(b"\x89PNG" + b"\x00" * (limit + 1)), 413, "file-too-large"
    )


@pytest.mark.feature("SET-1")
async def test_oversize_chunked_upload_is_cut_off(server: Server) -> None:
    max_ = await server.signed_in("max")
    limit = server.container.settings.avatar_max_bytes

    async def body() -> object:
        boundary = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
        yield boundary
        for _ in range(limit // 65536 + 4):
            yield b"\x00" * 65536

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.put(
            "/api/v1/me/avatar",
            content=body(),  # type: ignore[arg-type]
            headers={
                "Authorization": f"Bearer {max_.token}",
                "content-type": "multipart/form-data; boundary=x",
            },
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file-too-large"


@pytest.mark.feature("SET-1")
@pytest.mark.parametrize(
    "data",
    [b"this is text, not a picture", b"GIF89a" + b"\x00" * 20, b"", b"\x89PNG\r\n\x1a\nbroken"],
)
async def test_non_images_get_422(server: Server, data: bytes) -> None:
    max_ = await server.signed_in("max")
    await expect_error(max_.upload_avatar(data), 422, "invalid-image")


@pytest.mark.feature("SET-1")
async def test_gif_is_refused_with_a_clear_message(server: Server) -> None:
    max_ = await server.signed_in("max")
    error = await expect_error(
        max_.upload_avatar(picture("GIF"), "a.gif", "image/gif"), 422, "invalid-image"
    )
    assert "GIF" in error.message


@pytest.mark.feature("SET-1")
async def test_decompression_bomb_is_refused(server: Server) -> None:
    max_ = await server.signed_in("max")
    bomb = png_bomb()
    assert len(bomb) < 5 * 1024 * 1024
    await expect_error(max_.upload_avatar(bomb), 422, "invalid-image")
    assert (await max_.me())["avatar_version"] == 1


@pytest.mark.feature("SET-1")
async def test_upload_without_the_file_field(server: Server) -> None:
    max_ = await server.signed_in("max")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.put(
            "/api/v1/me/avatar",
            files={"picture": ("a.png", picture("PNG"), "image/png")},
            headers={"Authorization": f"Bearer {max_.token}"},
        )
    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"file": "missing"}


@pytest.mark.feature("SET-2", "SET-3", "SET-4", "SET-5", "SET-7")
async def test_settings_round_trip_and_reach_my_other_devices(server: Server) -> None:
    desk = await server.signed_in("max")
    phone = server.client()
    await phone.sign_in("max", PASSWORD)
    defaults = await desk.settings()
    assert defaults == {
        "contact_sort": "name",
        "list_style": "detailed",
        "auto_away_seconds": 300,
        "hide_system_calls": False,
        "language": "de",
        "theme": "system",
    }
    change = {
        "contact_sort": "recent",
        "list_style": "compact",
        "auto_away_seconds": 0,
        "hide_system_calls": True,
        "language": "en",
        "theme": "dark",
    }
    async with phone.events() as stream:
        assert await desk.update_settings(**change) == change
        event = await stream.wait_for("settings.changed")
    assert event["data"]["settings"] == change
    assert (await phone.settings()) == change
    assert (await phone.me())["settings"] == change
    partial = await desk.update_settings(theme="light")
    assert partial == {**change, "theme": "light"}


@pytest.mark.feature("SET-2", "SET-3", "SET-4", "SET-7")
@pytest.mark.parametrize(
    "body",
    [
        {"contact_sort": "age"},
        {"list_style": "grid"},
        {"auto_away_seconds": -1},
        {"auto_away_seconds": "soon"},
        {"language": "fr"},
        {"theme": "pink"},
        {"colour": "red"},
    ],
)
async def test_bad_settings_are_refused_with_the_field_named(server: Server, body: dict) -> None:
    max_ = await server.signed_in("max")
    error = await expect_error(max_.update_settings(**body), 422, "invalid-input")
    assert set(error.details) == set(body)
    assert (await max_.settings())["theme"] == "system"


@pytest.mark.feature("SET-6")
async def test_change_password(server: Server) -> None:
    max_ = await server.signed_in("max")
    await expect_error(max_.change_password("wrong", "a new secret"), 401, "invalid-credentials")
    await expect_error(max_.change_password(PASSWORD, "short"), 422, "invalid-input")
    await max_.change_password(PASSWORD, "a new secret")
    await expect_error(server.client().sign_in("max", PASSWORD), 401, "invalid-credentials")
    await server.client().sign_in("max", "a new secret")


@pytest.mark.feature("SET-6")
async def test_directory_users_are_told_where_to_change_it(server: Server) -> None:
    admin = await server.signed_in("boss", role="admin")
    user = await server.create_user("max")
    max_ = server.client()
    await max_.sign_in("max", PASSWORD)
    await admin.admin_update_user(user["id"], directory_user=True)
    error = await expect_error(
        max_.change_password(PASSWORD, "a new secret"), 409, "password-managed-externally"
    )
    assert "directory" in error.message
    assert (await max_.me())["directory_user"] is True
