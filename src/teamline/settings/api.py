"""Routes: settings and avatars (SET-1…5, SET-7)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from teamline.settings.schemas import AvatarOut, SettingsOut, SettingsPatch
from teamline.web.deps import App, Caller
from teamline.web.uploads import PICTURE_UPLOAD_DOC, read_picture

router = APIRouter(prefix="/api/v1", tags=["settings"])


@router.get("/me/settings", response_model=SettingsOut)
async def get_settings(caller: Caller, app: App) -> SettingsOut:
    return await app.user_settings.get(caller.user_id)


@router.patch("/me/settings", response_model=SettingsOut)
async def update_settings(body: SettingsPatch, caller: Caller, app: App) -> SettingsOut:
    return await app.user_settings.update(caller.user_id, body)


@router.put("/me/avatar", response_model=AvatarOut, openapi_extra=PICTURE_UPLOAD_DOC)
async def upload_avatar(request: Request, caller: Caller, app: App) -> AvatarOut:
    """Upload a PNG, JPEG or WebP picture (≤ 5 MB); stored as a 256×256 square."""
    data = await read_picture(request, app.settings.avatar_max_bytes)
    return AvatarOut(avatar_version=await app.user_settings.upload_avatar(caller.user_id, data))


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
