"""Routes: groups, their members and pictures (GRP-1…4)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from teamline.chat.schemas import MuteIn
from teamline.groups.schemas import GroupIn, GroupOut, GroupPatchIn, GroupsOut
from teamline.web.deps import App, Caller
from teamline.web.uploads import PICTURE_UPLOAD_DOC, read_picture

router = APIRouter(prefix="/api/v1", tags=["groups"])


@router.post("/groups", status_code=201, response_model=GroupOut)
async def create(body: GroupIn, caller: Caller, app: App) -> GroupOut:
    """A new group; the creator is always a member."""
    return await app.groups.create(caller, body)


@router.get("/groups", response_model=GroupsOut)
async def my_groups(caller: Caller, app: App) -> GroupsOut:
    return GroupsOut(groups=await app.groups.of_user(caller))


@router.get("/groups/{group_id}", response_model=GroupOut)
async def get(group_id: str, caller: Caller, app: App) -> GroupOut:
    return await app.groups.get(caller, group_id)


@router.patch("/groups/{group_id}", response_model=GroupOut)
async def rename(group_id: str, body: GroupPatchIn, caller: Caller, app: App) -> GroupOut:
    return await app.groups.rename(caller, group_id, body.name)


@router.delete("/groups/{group_id}", status_code=204)
async def delete(group_id: str, caller: Caller, app: App) -> Response:
    """Delete the group and its history (its creator or an administrator)."""
    await app.groups.delete(caller, group_id)
    return Response(status_code=204)


@router.put("/groups/{group_id}/members/{user_id}", status_code=204)
async def add_member(group_id: str, user_id: str, caller: Caller, app: App) -> Response:
    await app.groups.add_member(caller, group_id, user_id)
    return Response(status_code=204)


@router.delete("/groups/{group_id}/members/{user_id}", status_code=204)
async def remove_member(group_id: str, user_id: str, caller: Caller, app: App) -> Response:
    """Leave (my own id) or remove a member (creator or admin)."""
    await app.groups.remove_member(caller, group_id, user_id)
    return Response(status_code=204)


@router.put("/groups/{group_id}/mute", status_code=204)
async def mute(group_id: str, body: MuteIn, caller: Caller, app: App) -> Response:
    await app.groups.set_muted(caller, group_id, body.muted)
    return Response(status_code=204)


@router.put("/groups/{group_id}/picture", response_model=GroupOut, openapi_extra=PICTURE_UPLOAD_DOC)
async def upload_picture(group_id: str, request: Request, caller: Caller, app: App) -> GroupOut:
    """A PNG, JPEG or WebP picture, stored as a 256×256 square."""
    data = await read_picture(request, app.settings.avatar_max_bytes)
    return await app.groups.set_picture(caller, group_id, data)


@router.get("/groups/{group_id}/picture", response_class=Response)
async def picture(group_id: str, caller: Caller, app: App) -> Response:
    return Response(
        await app.groups.picture(caller, group_id),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=86400"},
    )
