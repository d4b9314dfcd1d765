"""What an administrator's changes look like in the client: permissions, directory
passwords, disabled accounts, renamed colleagues (PAIR-5, SET-6, PAIR-7, CONT-5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, NewPage, shot, sign_in

pytestmark = pytest.mark.browser
MakeUser = Callable[..., dict[str, Any]]


@pytest.mark.feature("PAIR-5")
def test_without_the_permission_the_user_is_sent_to_the_admin(
    new_page: NewPage, make_user: MakeUser
) -> None:
    user = make_user("Nina Ohnerecht", may_pair_self=False)
    page = new_page(locale="de-DE")
    sign_in(page, user["login"])
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("pair-mobile").click()
    expect(page.get_by_test_id("pair-not-allowed")).to_contain_text("Administrator")
    expect(page.get_by_test_id("pair-password")).to_have_count(0)


@pytest.mark.feature("SET-6")
def test_directory_users_learn_where_to_change_their_password(
    new_page: NewPage, make_user: MakeUser
) -> None:
    user = make_user("Dirk Verzeichnis", directory_user=True)
    page = new_page(locale="de-DE")
    sign_in(page, user["login"])
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("change-password").click()
    expect(page.get_by_test_id("password-error")).to_contain_text("Firmenverzeichnis")
    shot(page, "62-password-directory-de")


@pytest.mark.feature("PAIR-7")
def test_a_disabled_account_is_told_so(
    new_page: NewPage, make_user: MakeUser, admin: httpx.Client
) -> None:
    user = make_user("Gesa Gesperrt")
    admin.patch(f"/api/v1/admin/users/{user['id']}", json={"disabled": True}).raise_for_status()
    page = new_page(locale="de-DE")
    page.goto("/")
    page.get_by_test_id("signin-login").fill(user["login"])
    page.get_by_test_id("signin-password").fill(PASSWORD)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_contain_text("gesperrt")


@pytest.mark.feature("CONT-5")
def test_a_renamed_colleague_changes_in_the_list(
    new_page: NewPage, make_user: MakeUser, admin: httpx.Client
) -> None:
    watcher = make_user("Walter Zuschauer")
    renamed = make_user("Rita Alt", extension="4711")
    page = new_page(locale="de-DE")
    sign_in(page, watcher["login"])
    entry = page.get_by_test_id(f"contact-{renamed['id']}")
    expect(entry).to_contain_text("Rita Alt")
    admin.patch(
        f"/api/v1/admin/users/{renamed['id']}", json={"display_name": "Rita Neu"}
    ).raise_for_status()
    expect(entry).to_contain_text("Rita Neu")

    entry.click()
    details = page.get_by_test_id("contact-details")
    expect(details).to_contain_text("4711")
    shot(page, "12-contact-details-de")
