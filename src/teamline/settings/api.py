"""Routes: settings and avatars (SET-1…5, SET-7)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from teamline.core.errors import InvalidInput, TeamlineError
from teamline.settings.schemas import AvatarOut, SettingsOut, SettingsPatch
from teamline.web.deps import App, Caller, file_too_large, read_body_limited

router = APIRouter(prefix="/api/v1", tags=["settings"])

# Multipart framing around the file; the picture itself is held to avatar_max_bytes.
MULTIPART_OVERHEAD = 64 * 1024

UPLOAD_DOC = {
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


@router.get("/me/settings", response_model=SettingsOut)
async def get_settings(caller: Caller, app: App) -> SettingsOut:
    return await app.user_settings.get(caller.user_id)


@router.patch("/me/settings", response_model=SettingsOut)
async def update_settings(body: SettingsPatch, caller: Caller, app: App) -> SettingsOut:
    return await app.user_settings.update(caller.user_id, body)


@router.put("/me/avatar", response_model=AvatarOut, openapi_extra=UPLOAD_DOC)
async def upload_avatar(request: Request, caller: Caller, app: App) -> AvatarOut:
    """Upload a PNG, JPEG or WebP picture (≤ 5 MB); stored as a 256×256 square."""
    limit = app.settings.avatar_max_bytes
    await read_body_limited(request, limit + MULTIPART_OVERHEAD)
    data = await _file_field(request)
    if len(data) > limit:
        raise file_too_large(limit)
    return AvatarOut(avatar_version=await app.user_settings.upload_avatar(caller.user_id, data))


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


@router.post("/me/avatar/generate", response_model=AvatarOut)
async def generate_avatar(caller: Caller, app: App) -> AvatarOut:
    """Use the generated initials avatar again."""
    return AvatarOut(avatar_version=await app.user_settings.generate_avatar(caller.user_id))


@router.get("/users/{user_id}/avatar", response_class=Response, tags=["accounts"])
async def avatar(user_id: str, caller: Caller, app: App) -> Response:
    media_type, content, version = await app.user_settings.avatar(user_id)
    return Response(
        content,
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=86400", "ETag": f'"{user_id}-{version}"'},
    )
