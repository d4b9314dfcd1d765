"""Browser tests: the real server as a subprocess, driven through Debian's Chromium.

The server runs once per session with demo data (users ``admin``, ``max``, ``erika`` and more,
all with the password ``teamline``); tests use different users so they do not disturb each other.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = os.environ.get("TEAMLINE_CHROMIUM", "/usr/bin/chromium")
# The flags of the team's testing notes (loopback only, no vendor traffic, fake camera and
# microphone without prompts): shared/testing/chromium-flags.txt beside the checkout when it
# is there, else the copy kept with these tests.
_SHARED_FLAGS = Path(__file__).resolve().parents[3] / "shared" / "testing" / "chromium-flags.txt"
_FLAGS_FILE = (
    _SHARED_FLAGS if _SHARED_FLAGS.exists() else Path(__file__).with_name("chromium-flags.txt")
)
CHROMIUM_FLAGS = [line.strip() for line in _FLAGS_FILE.read_text().splitlines() if line.strip()]
VIEWPORT = {"width": 360, "height": 740}
PASSWORD = "teamline"
SHOTS = Path(os.environ.get("TEAMLINE_SHOTS_DIR", "/tmp/teamline-shots"))

NewPage = Callable[..., Page]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _teamline_command() -> str:
    beside_python = Path(sys.executable).parent / "teamline"
    found = str(beside_python) if beside_python.exists() else shutil.which("teamline")
    if not found:
        pytest.fail("the teamline command is not installed: run make test (or pip install -e .)")
    return found


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real ``teamline serve --demo`` on a free loopback port."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    data = tmp_path_factory.mktemp("teamline-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMLINE_")}
    env.update(TEAMLINE_DATA_DIR=str(data), TEAMLINE_PUBLIC_URL=base)
    command = [_teamline_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--demo"]
    with (data / "server.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(base, process, data / "server.log")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # a loaded 2-core machine may take long to seed
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling for readiness; no event exists to wait for
    pytest.fail(f"the server did not become healthy:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: make test installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[NewPage]:
    """Opens a page in a fresh phone-sized context (its own storage, not signed in)."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(locale: str = "de-DE", color_scheme: str = "light") -> Page:
        context = browser.new_context(
            base_url=live_server,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            is_mobile=True,
            has_touch=True,
            locale=locale,
            color_scheme=color_scheme,  # type: ignore[arg-type]
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def sign_in(page: Page, login: str, password: str = PASSWORD) -> None:
    """Signs in through the form and waits for the app."""
    page.goto("/")
    page.get_by_test_id("signin-login").fill(login)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("app")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-loaded", "true")
    expect(page.get_by_test_id("connection-state")).to_be_hidden()


@pytest.fixture(scope="session")
def admin(live_server: str) -> Iterator[httpx.Client]:
    """An HTTP client signed in as the demo admin, for setting up users."""
    with httpx.Client(base_url=live_server, timeout=10) as client:
        answer = client.post("/api/v1/sessions", json={"login": "admin", "password": PASSWORD})
        answer.raise_for_status()
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        yield client


@pytest.fixture
def make_user(admin: httpx.Client) -> Callable[..., dict[str, Any]]:
    """Creates a fresh user (password ``teamline``) with a unique login for one test."""
    counter = iter(range(1_000_000))

    def make(display_name: str, **fields: Any) -> dict[str, Any]:
        login = f"u{os.getpid()}x{next(counter)}x{int(time.monotonic() * 1000)}"
        body = {"login": login, "display_name": display_name, "password": PASSWORD, **fields}
        answer = admin.post("/api/v1/admin/users", json=body)
        assert answer.status_code == 201, answer.text
        user: dict[str, Any] = answer.json()
        return user

    return make


def api(page: Page, method: str, path: str, body: object = None) -> Any:
    """Calls the REST API with the page's own session token; returns the JSON answer."""
    return page.evaluate(
        """async ([method, path, body]) => {
            const headers = {Authorization: `Bearer ${localStorage.getItem('teamline.token')}`};
            if (body !== null) headers['Content-Type'] = 'application/json';
            const init = {method, headers, body: body === null ? undefined : JSON.stringify(body)};
            const response = await fetch(path, init);
            return response.status === 204 ? null : response.json();
        }""",
        [method, path, body],
    )


def user_id(page: Page, login: str) -> str:
    """The id of a user, read through the signed-in page's own session."""
    users = api(page, "GET", "/api/v1/users")["users"]
    return str(next(u["id"] for u in users if u["login"] == login))


def shot(page: Page, name: str) -> None:
    """Saves a screenshot for people to look at (not compared automatically)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")
