"""Pairing a mobile by QR code (PAIR-1…6)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import update

from teamline.client import SocketClosed, code_from_url
from teamline.core.ids import utcnow
from teamline.pairing.models import Pairing
from teamline.pairing.qr import qr_svg
from tests.harness import PASSWORD, Server, expect_error


async def _age(server: Server, pairing_id: str, **columns: object) -> None:
    async with server.container.db.write() as session:
        await session.execute(update(Pairing).where(Pairing.id == pairing_id).values(**columns))


@pytest.mark.feature("PAIR-1")
async def test_pairing_asks_for_the_password_again(server: Server) -> None:
    max_ = await server.signed_in("max")
    await expect_error(max_.start_pairing("wrong"), 401, "invalid-credentials")
    pairing = await max_.start_pairing(PASSWORD)
    assert pairing["url"].startswith(f"{server.base_url}/pair#")
    code = code_from_url(pairing["url"])
    assert len(code) >= 22  # ≥128 bits in URL-safe base64
    lifetime = server.container.settings.pairing_ttl_seconds
    assert pairing["expires_at"]
    expires = utcnow().fromisoformat(pairing["expires_at"].replace("Z", "+00:00"))
    assert timedelta(seconds=lifetime - 5) < expires - utcnow() <= timedelta(seconds=lifetime)


@pytest.mark.feature("PAIR-1")
async def test_qr_code_images_encode_the_pairing_url(server: Server) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    svg = await max_.pairing_qr(pairing["id"], "svg")
    assert svg == qr_svg(pairing["url"])
    png = await max_.pairing_qr(pairing["id"], "png")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size[0] == image.size[1] >= 200
    # Nobody else can see the code's image.
    erika = await server.signed_in("erika")
    await expect_error(erika.pairing_qr(pairing["id"]), 404, "not-found")


@pytest.mark.feature("PAIR-3")
async def test_redeem_signs_the_mobile_in_and_stores_the_number_as_e164(server: Server) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    async with max_.events() as stream:
        mobile = server.client()
        session = await mobile.redeem_pairing(
            pairing["url"], mobile_number="0170 1234567", device_name="Pixel 8"
        )
        paired = await stream.wait_for("device.paired")
    assert session["user"]["login"] == "max"
    assert session["user"]["mobile_number"] == "+491701234567"
    assert session["device"] == {**session["device"], "kind": "mobile", "name": "Pixel 8"}
    assert paired["data"]["device"]["id"] == session["device"]["id"]
    assert (await mobile.me())["mobile_number"] == "+491701234567"
    names = {d["name"]: d["kind"] for d in await max_.devices()}
    assert names["Pixel 8"] == "mobile"


@pytest.mark.feature("PAIR-3")
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+49 (170) 123-4567", "+491701234567"),
        ("0049 170 1234567", "+491701234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", None),
    ],
)
async def test_number_formats(server: Server, typed: str, stored: str | None) -> None:
    max_ = await server.signed_in("max", mobile_number="+491719876543")
    pairing = await max_.start_pairing(PASSWORD)
    session = await server.client().redeem_pairing(pairing["url"], mobile_number=typed)
    assert session["user"]["mobile_number"] == stored


@pytest.mark.feature("PAIR-3")
async def test_redeem_without_a_number_field_keeps_the_number(server: Server) -> None:
    max_ = await server.signed_in("max", mobile_number="+491719876543")
    pairing = await max_.start_pairing(PASSWORD)
    session = await server.client().redeem_pairing(pairing["url"])
    assert session["user"]["mobile_number"] == "+491719876543"


@pytest.mark.feature("PAIR-3")
@pytest.mark.parametrize("typed", ["banana", "123", "+49 0000", "+999 1234567"])
async def test_a_bad_number_is_refused_and_does_not_burn_the_code(
    server: Server, typed: str
) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    error = await expect_error(
        server.client().redeem_pairing(pairing["url"], mobile_number=typed), 422, "invalid-input"
    )
    assert "mobile_number" in error.details
    assert typed in error.message
    await server.client().redeem_pairing(pairing["url"], mobile_number="+491701234567")


@pytest.mark.feature("PAIR-2")
async def test_a_code_works_once(server: Server) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    await server.client().redeem_pairing(pairing["url"])
    await expect_error(server.client().redeem_pairing(pairing["url"]), 409, "pairing-code-used")


@pytest.mark.feature("PAIR-2")
async def test_an_expired_code_is_refused(server: Server) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    await _age(server, pairing["id"], expires_at=utcnow() - timedelta(seconds=1))
    await expect_error(server.client().redeem_pairing(pairing["url"]), 410, "pairing-code-expired")


@pytest.mark.feature("PAIR-2")
async def test_regenerate_kills_the_old_code_at_once(server: Server) -> None:
    max_ = await server.signed_in("max")
    old = await max_.start_pairing(PASSWORD)
    new = await max_.regenerate_pairing(old["id"])
    assert new["id"] != old["id"]
    assert code_from_url(new["url"]) != code_from_url(old["url"])
    await expect_error(server.client().redeem_pairing(old["url"]), 410, "pairing-code-expired")
    await expect_error(max_.pairing_qr(old["id"]), 410, "pairing-code-expired")
    await server.client().redeem_pairing(new["url"])


@pytest.mark.feature("PAIR-2")
async def test_an_expired_code_can_be_regenerated_within_the_password_window(
    server: Server,
) -> None:
    max_ = await server.signed_in("max")
    pairing = await max_.start_pairing(PASSWORD)
    await _age(server, pairing["id"], expires_at=utcnow() - timedelta(seconds=1))
    fresh = await max_.regenerate_pairing(pairing["id"])
    await server.client().redeem_pairing(fresh["url"])
    # Beyond the window the password must be given again.
    other = await max_.start_pairing(PASSWORD)
    await _age(server, other["id"], password_confirmed_at=utcnow() - timedelta(hours=1))
    await expect_error(max_.regenerate_pairing(other["id"]), 403, "password-required")


@pytest.mark.feature("PAIR-2")
@pytest.mark.parametrize("code", ["", "x", "A" * 32, "../../etc/passwd"])
async def test_unknown_codes(server: Server, code: str) -> None:
    status, error = (422, "invalid-input") if code == "" else (404, "pairing-code-unknown")
    await expect_error(server.client().redeem_pairing(code), status, error)


@pytest.mark.feature("PAIR-2")
async def test_others_cannot_regenerate_my_pairing(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    pairing = await max_.start_pairing(PASSWORD)
    await expect_error(erika.regenerate_pairing(pairing["id"]), 404, "not-found")


@pytest.mark.feature("PAIR-4")
async def test_the_paired_mobile_works_on_its_own(server: Server) -> None:
    desktop = await server.signed_in("max")
    pairing = await desktop.start_pairing(PASSWORD)
    mobile = server.client()
    await mobile.redeem_pairing(pairing["url"])
    await desktop.sign_out()
    assert (await mobile.me())["login"] == "max"
    await mobile.set_presence("away", "Lunch")


@pytest.mark.feature("PAIR-5")
async def test_self_pairing_needs_the_permission(server: Server) -> None:
    max_ = await server.signed_in("max", may_pair_self=False)
    await expect_error(max_.start_pairing(PASSWORD), 403, "forbidden")


@pytest.mark.feature("PAIR-5")
async def test_an_admin_pairs_on_a_users_behalf(server: Server) -> None:
    user = await server.create_user("max", may_pair_self=False)
    admin = await server.signed_in("boss", role="admin")
    await expect_error(admin.admin_pair(user["id"], "wrong"), 401, "invalid-credentials")
    pairing = await admin.admin_pair(user["id"], PASSWORD)
    assert (await admin.pairing_qr(pairing["id"])).startswith(b"<svg")
    session = await server.client().redeem_pairing(pairing["url"], mobile_number="+491701234567")
    assert session["user"]["id"] == user["id"]
    colleague = await server.signed_in("erika")
    await expect_error(colleague.admin_pair(user["id"], PASSWORD), 403, "forbidden")


@pytest.mark.feature("PAIR-6")
async def test_unpair_revokes_rest_and_closes_the_socket_at_once(server: Server) -> None:
    desktop = await server.signed_in("max")
    pairing = await desktop.start_pairing(PASSWORD)
    mobile = server.client()
    session = await mobile.redeem_pairing(pairing["url"])
    device_id = session["device"]["id"]
    async with mobile.events() as stream, desktop.events() as desk_stream:
        await desktop.unpair(device_id)
        revoked = await stream.wait_for("device.revoked")
        assert revoked["data"] == {"device_id": device_id}
        with pytest.raises(SocketClosed) as closed:
            await stream.recv()
        assert closed.value.code == 4401
        # The desktop stays connected and hears about it too.
        seen = await desk_stream.wait_for("device.revoked")
        assert seen["data"]["device_id"] == device_id
    await expect_error(mobile.me(), 401, "unauthenticated")
    assert device_id not in {d["id"] for d in await desktop.devices()}
    # A new socket with the revoked token is refused with 4401.
    with pytest.raises(SocketClosed) as refused:
        async with mobile.events() as again:
            await again.recv()
    assert refused.value.code == 4401


@pytest.mark.feature("PAIR-6")
async def test_unpair_from_the_mobile_itself(server: Server) -> None:
    desktop = await server.signed_in("max")
    mobile = server.client()
    session = await mobile.redeem_pairing((await desktop.start_pairing(PASSWORD))["url"])
    await mobile.unpair(session["device"]["id"])
    await expect_error(mobile.me(), 401, "unauthenticated")
    assert (await desktop.me())["login"] == "max"


@pytest.mark.feature("PAIR-6")
async def test_nobody_touches_another_users_device(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    max_device = max_.device
    assert max_device is not None
    await expect_error(erika.unpair(max_device["id"]), 404, "not-found")
    assert (await max_.me())["login"] == "max"


@pytest.mark.feature("PAIR-6")
async def test_an_admin_unpairs_a_users_device(server: Server) -> None:
    max_ = await server.signed_in("max")
    admin = await server.signed_in("boss", role="admin")
    assert max_.device is not None and max_.account is not None
    erika = await server.signed_in("erika")
    await expect_error(erika.admin_unpair(max_.account["id"], max_.device["id"]), 403, "forbidden")
    await admin.admin_unpair(max_.account["id"], max_.device["id"])
    await expect_error(max_.me(), 401, "unauthenticated")
