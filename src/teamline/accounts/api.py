"""Routes: sessions, me, colleagues, devices, password, admin users."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from teamline.accounts.schemas import (
    AdminUserOut,
    DeviceOut,
    MeOut,
    PasswordChangeIn,
    SessionOut,
    SignInIn,
    UserCreateIn,
    UserOut,
    UserPatchIn,
)
from teamline.web.deps import Admin, App, Caller, client_address

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class UsersOut(BaseModel):
    users: list[UserOut]


class AdminUsersOut(BaseModel):
    users: list[AdminUserOut]


class DevicesOut(BaseModel):
    devices: list[DeviceOut]


@router.post("/sessions", status_code=201, response_model=SessionOut)
async def sign_in(body: SignInIn, request: Request, app: App) -> SessionOut:
    """Sign in with login and password (PAIR-7); one session per device."""
    return await app.accounts.sign_in(
        body.login, body.password, device_name=body.device_name, address=client_address(request)
    )


@router.delete("/sessions/current", status_code=204)
async def sign_out(caller: Caller, app: App) -> Response:
    await app.accounts.sign_out(caller)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
async def me(caller: Caller, app: App) -> MeOut:
    return await app.accounts.me(caller)


@router.post("/me/password", status_code=204)
async def change_password(body: PasswordChangeIn, caller: Caller, app: App) -> Response:
    """Change the own password (SET-6); 409 for directory users."""
    await app.accounts.change_password(caller, body.current, body.new)
    return Response(status_code=204)


@router.get("/users", response_model=UsersOut)
async def colleagues(caller: Caller, app: App) -> UsersOut:
    """Every active colleague with presence."""
    return UsersOut(users=await app.accounts.colleagues())


@router.get("/users/{user_id}", response_model=UserOut)
async def colleague(user_id: str, caller: Caller, app: App) -> UserOut:
    return await app.accounts.colleague(user_id)


@router.get("/devices", response_model=DevicesOut)
async def devices(caller: Caller, app: App) -> DevicesOut:
    return DevicesOut(devices=await app.accounts.devices(caller))


@router.delete("/devices/{device_id}", status_code=204)
async def unpair(device_id: str, caller: Caller, app: App) -> Response:
    """Unpair / sign out one of my devices (PAIR-6): revoked at once."""
    await app.accounts.revoke_device(caller.user_id, device_id)
    return Response(status_code=204)


@router.get("/admin/users", response_model=AdminUsersOut, tags=["admin"])
async def admin_list_users(caller: Admin, app: App) -> AdminUsersOut:
    return AdminUsersOut(users=await app.accounts.list_users())


@router.post("/admin/users", status_code=201, response_model=AdminUserOut, tags=["admin"])
async def admin_create_user(body: UserCreateIn, caller: Admin, app: App) -> AdminUserOut:
    return await app.accounts.create_user(body)


@router.get("/admin/users/{user_id}", response_model=AdminUserOut, tags=["admin"])
async def admin_get_user(user_id: str, caller: Admin, app: App) -> AdminUserOut:
    return await app.accounts.get_user(user_id)


@router.patch("/admin/users/{user_id}", response_model=AdminUserOut, tags=["admin"])
async def admin_update_user(
    user_id: str, body: UserPatchIn, caller: Admin, app: App
) -> AdminUserOut:
    return await app.accounts.update_user(user_id, body)


@router.delete("/admin/users/{user_id}", status_code=204, tags=["admin"])
async def admin_delete_user(user_id: str, caller: Admin, app: App) -> Response:
    await app.accounts.delete_user(user_id)
    return Response(status_code=204)


@router.delete("/admin/users/{user_id}/devices/{device_id}", status_code=204, tags=["admin"])
async def admin_unpair(user_id: str, device_id: str, caller: Admin, app: App) -> Response:
    """Unpair a user's device on their behalf (PAIR-6)."""
    await app.accounts.revoke_device(user_id, device_id)
    return Response(status_code=204)
