"""Files and images in conversations (CHAT-7)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from teamline.chat.models import Attachment
from teamline.client import Client
from teamline.core.ids import utcnow
from tests.harness import Server, expect_error, uid


def jpeg(size: tuple[int, int] = (1600, 1200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG")
    return buffer.getvalue()


async def chat(server: Server) -> tuple[Client, Client, str]:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    return max_, erika, (await max_.open_conversation(uid(erika)))["id"]


def files_in(server: Server) -> list[str]:
    directory = server.container.settings.data_dir / "attachments"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.mark.feature("CHAT-7")
async def test_image_is_sent_with_a_preview_and_only_members_download(server: Server) -> None:
    max_, erika, conv = await chat(server)
    photo = jpeg()
    uploaded = await max_.upload_attachment(conv, "../../Urlaub.jpg", photo, "image/jpeg")
    assert uploaded["name"] == "Urlaub.jpg"
    assert (uploaded["image"], uploaded["width"], uploaded["height"]) == (True, 1600, 1200)
    assert uploaded["content_type"] == "image/jpeg" and uploaded["size"] == len(photo)
    async with erika.events() as events:
        message = await max_.send_message(conv, "", attachment_ids=[uploaded["id"]])
        got = await events.wait_for("message.created")
    assert got["data"]["attachments"] == [uploaded] == message["attachments"]
    original = await erika.attachment(uploaded["id"])
    assert original.content == photo
    assert original.headers["content-type"] == "image/jpeg"
    assert original.headers["x-content-type-options"] == "nosniff"
    preview = await erika.attachment(uploaded["id"], preview=True)
    with Image.open(io.BytesIO(preview.content)) as shown:
        assert shown.format == "PNG" and max(shown.size) == 480
    jonas = await server.signed_in("jonas")
    await expect_error(jonas.attachment(uploaded["id"]), 404, "not-found")
    await expect_error(jonas.attachment(uploaded["id"], preview=True), 404, "not-found")
    await expect_error(jonas.upload_attachment(conv, "x.txt", b"x", "text/plain"), 404, "not-found")


@pytest.mark.feature("CHAT-7")
async def test_other_files_are_downloads_never_pages(server: Server) -> None:
    max_, erika, conv = await chat(server)
    page = b"<html><script>alert(1)</script></html>"
    uploaded = await max_.upload_attachment(conv, "bericht.html", page, "text/html")
    assert uploaded["image"] is False and uploaded["width"] is None
    await max_.send_message(conv, "Bericht anbei", attachment_ids=[uploaded["id"]])
    response = await erika.attachment(uploaded["id"])
    assert response.content == page
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["content-security-policy"]
    await expect_error(erika.attachment(uploaded["id"], preview=True), 404, "not-found")
    # A file that claims to be an image but is not one is no image.
    fake = await max_.upload_attachment(conv, "bild.png", b"kein Bild", "image/png")
    assert fake["image"] is False and fake["content_type"] == "application/octet-stream"


@pytest.mark.feature("CHAT-7")
async def test_oversize_upload_is_refused_without_filling_the_disk(server: Server) -> None:
    max_, _erika, conv = await chat(server)
    server.container.settings.attachment_max_bytes = 64 * 1024
    await expect_error(
        max_.upload_attachment(conv, "gross.bin", b"\0" * (64 * 1024 + 1), "application/zip"),
        413,
        "file-too-large",
    )

    async def stream() -> object:  # no Content-Length: the limit is enforced while reading
        for _ in range(100):
            yield b"\0" * 4096

    response = await max_._http.post(
        f"/api/v1/conversations/{conv}/attachments",
        params={"name": "strom.bin"},
        content=stream(),  # type: ignore[arg-type]
        headers={"Authorization": f"Bearer {max_.token}"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file-too-large"
    assert files_in(server) == []


@pytest.mark.feature("CHAT-7")
async def test_attachments_are_sent_once_by_their_uploader(server: Server) -> None:
    max_, erika, conv = await chat(server)
    uploaded = await max_.upload_attachment(conv, "a.txt", b"hallo", "text/plain")
    # Before it is sent, the others cannot fetch it.
    await expect_error(erika.attachment(uploaded["id"]), 404, "not-found")
    await expect_error(
        erika.send_message(conv, "meins", attachment_ids=[uploaded["id"]]),
        422,
        "unknown-attachments",
    )
    message = await max_.send_message(conv, "", attachment_ids=[uploaded["id"]])
    await expect_error(
        max_.send_message(conv, "nochmal", attachment_ids=[uploaded["id"]]),
        422,
        "unknown-attachments",
    )
    await expect_error(
        max_.upload_attachment(conv, "leer.txt", b"", "text/plain"), 422, "invalid-input"
    )
    await max_.delete_message(conv, message["id"])
    assert files_in(server) == []
    await expect_error(erika.attachment(uploaded["id"]), 404, "not-found")


@pytest.mark.feature("CHAT-7")
async def test_uploads_never_sent_are_removed_by_housekeeping(server: Server) -> None:
    max_, _erika, conv = await chat(server)
    kept = await max_.upload_attachment(conv, "heute.txt", b"neu", "text/plain")
    sent = await max_.upload_attachment(conv, "gesendet.txt", b"alt", "text/plain")
    stale = await max_.upload_attachment(conv, "gestern.txt", b"alt", "text/plain")
    await max_.send_message(conv, "", attachment_ids=[sent["id"]])
    async with server.container.db.write() as session:
        for attachment_id in (sent["id"], stale["id"]):
            record = await session.get(Attachment, attachment_id)
            assert record is not None
            record.created_at = utcnow() - timedelta(hours=25)
    await server.container.housekeeping()
    assert files_in(server) == sorted([kept["id"], sent["id"]])
    await expect_error(max_.attachment(stale["id"]), 404, "not-found")
