"""Sign-in, sessions, sign-out, rate limits (PAIR-7)."""

from __future__ import annotations

import httpx
import pytest

from teamline.client import SocketClosed
from tests.harness import PASSWORD, Server, expect_error

pytestmark = pytest.mark.feature("PAIR-7")


async def test_sign_in_returns_token_user_and_device(server: Server) -> None:
    await server.create_user("max", display_name="Max-Andreas Mustermann", extension="101")
    client = server.client()
    session = await client.sign_in("max", PASSWORD, device_name="Firefox on Linux")
    assert session["user"]["login"] == "max"
    assert session["user"]["extension"] == "101"
    assert session["device"]["name"] == "Firefox on Linux"
    assert session["device"]["kind"] == "web"
    assert session["device"]["current"] is True
    me = await client.me()
    assert me["display_name"] == "Max-Andreas Mustermann"
    assert set(me) >= {
        "id",
        "login",
        "display_name",
        "extension",
        "email",
        "mobile_number",
        "role",
        "presence",
        "settings",
    }


async def test_login_is_case_insensitive(server: Server) -> None:
    await server.create_user("erika")
    await server.client().sign_in("Erika", PASSWORD)


async def test_wrong_password_and_unknown_login_look_the_same(server: Server) -> None:
    await server.create_user("max")
    wrong = await expect_error(server.client().sign_in("max", "nope"), 401, "invalid-credentials")
    unknown = await expect_error(
        server.client().sign_in("nobody", "nope"), 401, "invalid-credentials"
    )
    assert wrong.message == unknown.message


async def test_every_device_gets_its_own_session(server: Server) -> None:
    await server.create_user("max")
    phone, laptop = server.client(), server.client()
    await phone.sign_in("max", PASSWORD, device_name="Phone")
    await laptop.sign_in("max", PASSWORD, device_name="Laptop")
    assert phone.token != laptop.token
    devices = await laptop.devices()
    assert sorted(d["name"] for d in devices) == ["Laptop", "Phone"]
    assert [d["name"] for d in devices if d["current"]] == ["Laptop"]


async def test_sign_out_revokes_the_token_on_rest_and_socket(server: Server) -> None:
    client = await server.signed_in("max")
    token = client.token
    async with client.events() as stream:
        await client.sign_out()
        with pytest.raises(SocketClosed) as closed:
            await stream.wait_for("never")
        assert closed.value.code == 4401
    stale = server.client(token)
    await expect_error(stale.me(), 401, "unauthenticated")


async def test_a_token_just_used_stops_working_at_once_when_revoked(server: Server) -> None:
    # Principals are remembered for a few seconds; every way of ending a session must make
    # this node forget them at once, not after that time.
    laptop = await server.signed_in("max")
    phone = await server.second_device("max")
    await phone.me()  # the phone's token is now known to the node
    phone_id = next(d["id"] for d in await laptop.devices() if not d["current"])
    await laptop.unpair(phone_id)
    await expect_error(phone.me(), 401, "unauthenticated")
    await laptop.me()

    admin = await server.signed_in("boss", role="admin")
    erika = await server.signed_in("erika")
    await erika.me()
    assert erika.account is not None
    await admin.admin_delete_user(erika.account["id"])
    await expect_error(erika.me(), 401, "unauthenticated")

    assert laptop.account is not None
    await admin.admin_update_user(laptop.account["id"], disabled=True)
    await expect_error(laptop.me(), 401, "unauthenticated")


async def test_a_changed_role_applies_to_the_next_request(server: Server) -> None:
    admin = await server.signed_in("boss", role="admin")
    other = await server.signed_in("chief", role="admin")
    await other.admin_users()  # chief's token is now known, as an admin
    assert other.account is not None
    await admin.admin_update_user(other.account["id"], role="user")
    await expect_error(other.admin_users(), 403, "forbidden")
    await admin.admin_update_user(other.account["id"], role="admin")
    await other.admin_users()


async def test_missing_and_garbage_tokens_are_refused(server: Server) -> None:
    await expect_error(server.client().me(), 401, "unauthenticated")
    await expect_error(server.client("garbage").me(), 401, "unauthenticated")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.get("/api/v1/me", params={"token": "x"})
    assert response.status_code == 401  # no token in URLs except on the event socket


async def test_disabled_account_gets_403_at_sign_in(server: Server) -> None:
    user = await server.create_user("max")
    admin = await server.signed_in("boss", role="admin")
    await admin.admin_update_user(user["id"], disabled=True)
    await expect_error(server.client().sign_in("max", PASSWORD), 403, "account-disabled")


async def test_failed_sign_ins_are_rate_limited_per_login(server: Server) -> None:
    await server.create_user("max")
    limit = server.container.settings.signin_max_failures_per_login
    for _ in range(limit):
        await expect_error(server.client().sign_in("max", "wrong"), 401, "invalid-credentials")
    error = await expect_error(server.client().sign_in("max", PASSWORD), 429, "too-many-attempts")
    retry_after = error.details["retry_after"]
    assert 0 < retry_after <= server.container.settings.signin_window_seconds
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/v1/sessions", json={"login": "max", "password": "x"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    # Another login from the same address is not locked out by max's failures.
    await server.create_user("erika")
    await server.client().sign_in("erika", PASSWORD)


async def test_failed_sign_ins_are_rate_limited_per_address(server: Server) -> None:
    server.container.settings.signin_max_failures_per_address = 3
    for login in ("a", "b", "c"):
        await expect_error(server.client().sign_in(login, "wrong"), 401, "invalid-credentials")
    await server.create_user("max")
    await expect_error(server.client().sign_in("max", PASSWORD), 429, "too-many-attempts")


async def test_a_successful_sign_in_clears_the_failures(server: Server) -> None:
    await server.create_user("max")
    limit = server.container.settings.signin_max_failures_per_login
    for _ in range(limit - 1):
        await expect_error(server.client().sign_in("max", "wrong"), 401, "invalid-credentials")
    await server.client().sign_in("max", PASSWORD)
    for _ in range(limit - 1):
        await expect_error(server.client().sign_in("max", "wrong"), 401, "invalid-credentials")
    await server.client().sign_in("max", PASSWORD)


@pytest.mark.parametrize(
    "body",
    [{}, {"login": "max"}, {"login": "", "password": "x"}, {"login": "max", "password": 5}, [1, 2]],
)
async def test_malformed_sign_in_bodies_get_422(server: Server, body: object) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/v1/sessions", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid-input"


async def test_sign_in_with_broken_json_gets_422(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post(
            "/api/v1/sessions", content=b"{nope", headers={"content-type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid-input"
