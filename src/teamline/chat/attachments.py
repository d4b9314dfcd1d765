"""Files and images sent in conversations (CHAT-7).

An upload is streamed to ``<data dir>/attachments/<id>.part`` and refused (413) as soon as it
passes the size limit, the partial file removed; only a complete file is renamed into place
and recorded. Images (PNG, JPEG, GIF, WebP, checked by Pillow, not by the client's word) get a
PNG preview beside them and are the only files served inline; everything else is served as a
download, sandboxed, so an uploaded HTML page never runs on this origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import warnings
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageOps

from teamline.accounts.service import Principal
from teamline.chat import store
from teamline.chat.errors import NoSuchAttachment, NoSuchConversation
from teamline.chat.models import Attachment
from teamline.chat.schemas import AttachmentOut
from teamline.chat.service import ChatService, attachment_out
from teamline.config import Settings
from teamline.core.errors import InvalidInput, file_too_large
from teamline.core.ids import new_id, utcnow

log = logging.getLogger(__name__)

PREVIEW_SIZE = 480
# An upload not sent with a message within this time is removed by the housekeeping job.
UNSENT_KEPT = timedelta(hours=24)
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")


@dataclass(frozen=True)
class StoredFile:
    path: Path
    name: str
    content_type: str
    inline: bool


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


class AttachmentService:
    def __init__(self, chat: ChatService, settings: Settings) -> None:
        self.chat = chat
        self.db = chat.db
        self.settings = settings

    @property
    def directory(self) -> Path:
        return self.settings.data_dir / "attachments"

    def _path(self, attachment_id: str, suffix: str = "") -> Path:
        return self.directory / f"{attachment_id}{suffix}"

    async def upload(
        self,
        caller: Principal,
        conversation_id: str,
        *,
        name: str,
        content_type: str,
        declared_size: str | None,
        body: AsyncIterator[bytes],
    ) -> AttachmentOut:
        """Store an upload for a later message of the caller in this conversation."""
        name = _clean_name(name)
        async with self.db.read() as session:
            if await store.membership(session, conversation_id, caller.user_id) is None:
                raise NoSuchConversation("There is no such conversation.")
        limit = self.settings.attachment_max_bytes
        if declared_size and declared_size.isdigit() and int(declared_size) > limit:
            raise file_too_large(limit)
        attachment_id = new_id()
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self._path(attachment_id, ".part")
        try:
            size = await _receive(body, partial, limit)
            if size == 0:
                raise InvalidInput("The file is empty.", details={"file": "empty"})
            image = await asyncio.to_thread(
                _make_preview, partial, self._path(attachment_id, ".preview.png"), self.settings
            )
            kind = content_type.split(";")[0].strip().lower()
            record = Attachment(
                id=attachment_id,
                conversation_id=conversation_id,
                uploader_id=caller.user_id,
                name=name,
                content_type=image.content_type
                if image
                else (kind if MIME.match(kind) and not kind.startswith("image/") else _octet),
                size=size,
                width=image.width if image else None,
                height=image.height if image else None,
            )
            partial.rename(self._path(attachment_id))
            async with self.db.write() as session:
                session.add(record)
        except BaseException:
            self.remove_files([attachment_id])
            partial.unlink(missing_ok=True)
            raise
        return attachment_out(record)

    async def file(self, caller: Principal, attachment_id: str) -> StoredFile:
        record = await self._visible(caller, attachment_id)
        return StoredFile(
            path=self._path(record.id),
            name=record.name,
            content_type=record.content_type,
            inline=record.width is not None,
        )

    async def preview(self, caller: Principal, attachment_id: str) -> Path:
        record = await self._visible(caller, attachment_id)
        path = self._path(record.id, ".preview.png")
        if record.width is None or not path.exists():
            raise NoSuchAttachment("This attachment has no preview: it is not an image.")
        return path

    async def delete_message(
        self, caller: Principal, conversation_id: str, message_id: str
    ) -> None:
        """Delete one's own message and the files it carried."""
        self.remove_files(await self.chat.delete(caller, conversation_id, message_id))

    async def prune_unsent(self) -> int:
        """Remove uploads that were never sent (the composer was closed); returns how many."""
        async with self.db.write() as session:
            ids = await store.drop_unsent_attachments(session, utcnow() - UNSENT_KEPT)
        self.remove_files(ids)
        return len(ids)

    def remove_files(self, attachment_ids: Sequence[str]) -> None:
        for attachment_id in attachment_ids:
            for suffix in ("", ".preview.png"):
                with contextlib.suppress(OSError):
                    self._path(attachment_id, suffix).unlink(missing_ok=True)

    async def _visible(self, caller: Principal, attachment_id: str) -> Attachment:
        async with self.db.read() as session:
            record = await store.attachment(session, attachment_id)
            if record is None or (
                await store.membership(session, record.conversation_id, caller.user_id) is None
            ):
                raise NoSuchAttachment("There is no such attachment.")
            if record.message_id is None and record.uploader_id != caller.user_id:
                raise NoSuchAttachment("There is no such attachment.")  # not sent yet
        if not self._path(record.id).exists():
            raise NoSuchAttachment("The file of this attachment is missing on the server.")
        return record


_octet = "application/octet-stream"


def _clean_name(name: str) -> str:
    """The file's own name, without directories or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    if not base or base in {".", ".."}:
        raise InvalidInput("Give the file a name.", details={"name": "empty"})
    return base[:255]


async def _receive(body: AsyncIterator[bytes], target: Path, limit: int) -> int:
    size = 0
    with target.open("wb") as handle:
        async for chunk in body:
            size += len(chunk)
            if size > limit:
                raise file_too_large(limit)
            handle.write(chunk)
    return size


def _make_preview(source: Path, target: Path, settings: Settings) -> ImageInfo | None:
    """Write a PNG preview when ``source`` is an image Pillow accepts; None otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                kind = IMAGE_TYPES.get(image.format or "")
                width, height = image.size
                if kind is None or width * height > settings.avatar_max_pixels:
                    return None
                image.seek(0)
                shown = ImageOps.exif_transpose(image) or image
                shown.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
                converted = shown.convert("RGBA" if "A" in shown.getbands() else "RGB")
                converted.save(target, "PNG", optimize=False)
                return ImageInfo(kind, width, height)
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        target.unlink(missing_ok=True)
        return None
