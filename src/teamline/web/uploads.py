"""Picture uploads (avatars, group pictures): one multipart field ``file``, size-limited."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from teamline.core.errors import InvalidInput, TeamlineError, file_too_large
from teamline.web.deps import read_body_limited

# Multipart framing around the file; the picture itself is held to the given limit.
MULTIPART_OVERHEAD = 64 * 1024

PICTURE_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


async def read_picture(request: Request, limit: int) -> bytes:
    """The bytes of the multipart field ``file``, refused with 413 past ``limit``."""
    await read_body_limited(request, limit + MULTIPART_OVERHEAD)
    data = await _file_field(request)
    if len(data) > limit:
        raise file_too_large(limit)
    return data


async def _file_field(request: Request) -> bytes:
    """The bytes of the multipart field ``file``; the parser's temporary files are closed."""
    missing = InvalidInput(
        "Send the picture as multipart/form-data in the field 'file'.",
        details={"file": "missing"},
    )
    try:
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise missing
            return await upload.read()
    except TeamlineError:
        raise
    except Exception as exc:  # the multipart parser's errors all mean "bad request body"
        raise missing from exc
