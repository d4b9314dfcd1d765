"""Matrix Synapse as the peer of the chat fan-out benchmark: its own virtualenv, one
homeserver process on loopback with SQLite, users, one room.

Synapse is never a dependency of Teamline: it is installed from PyPI into ``.venv-synapse``
(beside the project's ``.venv``) the first time the benchmark needs it. The homeserver gets a
configuration of this module's own: client API only on 127.0.0.1, no federation listener and
no federation peers, no trusted key servers, no stats reporting, no URL previews, no metrics,
presence off, rate limits out of the way, cheap password hashing for the set-up.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from bench.presence_fanout import bounded, free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-synapse"
PYTHON = VENV / "bin" / "python"
PACKAGE = "matrix-synapse"
SERVER_NAME = "bench.localhost"
PASSWORD = "bench-password"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
INSTALL_TIMEOUT = 900.0
UNLIMITED = {"per_second": 1_000_000, "burst_count": 1_000_000}


def ensure_installed() -> str | None:
    """Create ``.venv-synapse`` with matrix-synapse if needed; None, or why it cannot run."""
    probe = [str(PYTHON), "-c", "import synapse; print(synapse.__version__)"]
    if PYTHON.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return None
    print(f"installing {PACKAGE} into {VENV} (once) ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENV)],
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [str(PYTHON), "-m", "pip", "install", "--quiet", PACKAGE],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(step)}` failed: {exc}"
        if done.returncode != 0:
            return f"`{' '.join(step)}` failed:\n{(done.stderr or done.stdout)[-1500:]}"
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        return f"{PACKAGE} installed but does not import:\n{done.stderr[-1500:]}"
    return None


def version() -> str:
    probe = [str(PYTHON), "-c", "import synapse; print(synapse.__version__)"]
    return subprocess.run(probe, capture_output=True, text=True).stdout.split()[0]


def write_config(data_dir: Path, port: int, shared_secret: str) -> Path:
    """homeserver.yaml (JSON is YAML) and a quiet log configuration; the signing key."""
    log_config = data_dir / "log.yaml"
    line = "%(asctime)s %(name)s %(levelname)s %(message)s"
    log_config.write_text(
        json.dumps(
            {
                "version": 1,
                "formatters": {"plain": {"format": line}},
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "formatter": "plain",
                        "filename": str(data_dir / "homeserver.log"),
                    }
                },
                "root": {"level": "WARNING", "handlers": ["file"]},
                "disable_existing_loggers": False,
            }
        )
    )
    config: dict[str, Any] = {
        "server_name": SERVER_NAME,
        "pid_file": str(data_dir / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(data_dir / "homeserver.db")}},
        "log_config": str(log_config),
        "media_store_path": str(data_dir / "media"),
        "signing_key_path": str(data_dir / "signing.key"),
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secrets.token_urlsafe(32),
        "form_secret": secrets.token_urlsafe(32),
        "enable_registration": False,
        "bcrypt_rounds": 4,
        # Loopback only: nothing to federate with, no key servers, no phoning home.
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "allow_public_rooms_over_federation": False,
        "url_preview_enabled": False,
        "enable_metrics": False,
        "presence": {"enabled": False},
        "user_directory": {"enabled": False},
        # Rate limits out of the way of a benchmark.
        "rc_message": UNLIMITED,
        "rc_registration": UNLIMITED,
        "rc_login": {"address": UNLIMITED, "account": UNLIMITED, "failed_attempts": UNLIMITED},
        "rc_joins": {"local": UNLIMITED, "remote": UNLIMITED},
        "rc_joins_per_room": UNLIMITED,
        "rc_invites": {"per_room": UNLIMITED, "per_user": UNLIMITED, "per_issuer": UNLIMITED},
        "rc_room_creation": UNLIMITED,
        "rc_presence": {"per_user": UNLIMITED},
    }
    path = data_dir / "homeserver.yaml"
    path.write_text(json.dumps(config, indent=1))
    subprocess.run(
        [str(PYTHON), "-m", "synapse.app.homeserver", "-c", str(path), "--generate-keys"],
        check=True,
        capture_output=True,
        cwd=data_dir,
    )
    return path


@dataclass
class Homeserver:
    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    shared_secret: str
    log: IO[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self) -> str:
        self.log.flush()
        parts = []
        for name in ("stdout.log", "homeserver.log"):
            path = self.data_dir / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-2000:])
        return "\n".join(parts)

    async def wait_healthy(self) -> None:
        await wait_healthy(
            self.process, self.base_url, "/health", self.tail, "synapse", START_TIMEOUT
        )

    async def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(self.process.wait, STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()


def start(data_dir: Path) -> Homeserver:
    port = free_port()
    secret = secrets.token_urlsafe(24)
    config = write_config(data_dir, port, secret)
    log = (data_dir / "stdout.log").open("wb")
    process = subprocess.Popen(
        [str(PYTHON), "-m", "synapse.app.homeserver", "-c", str(config)],
        cwd=data_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
    )
    return Homeserver(process, port, data_dir, secret, log)


@dataclass(frozen=True)
class Account:
    user_id: str
    token: str


async def register(http: httpx.AsyncClient, secret: str, localpart: str) -> Account:
    """The shared-secret admin registration API: a nonce, then an HMAC-signed request."""
    nonce = (await http.get("/_synapse/admin/v1/register")).json()["nonce"]
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    for part in (nonce, localpart, PASSWORD, "notadmin"):
        mac.update(part.encode())
        mac.update(b"\x00" if part != "notadmin" else b"")
    response = await http.post(
        "/_synapse/admin/v1/register",
        json={
            "nonce": nonce,
            "username": localpart,
            "password": PASSWORD,
            "admin": False,
            "mac": mac.hexdigest(),
        },
    )
    response.raise_for_status()
    body = response.json()
    return Account(body["user_id"], body["access_token"])


async def room_with_members(server: Homeserver, n: int) -> tuple[str, list[Account]]:
    """N registered users, one public room created by the first, joined by all."""
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as http:
        accounts = await bounded(
            [f"user{i:04d}" for i in range(n)],
            lambda localpart: register(http, server.shared_secret, localpart),
        )
        owner = {"Authorization": f"Bearer {accounts[0].token}"}
        response = await http.post(
            "/_matrix/client/v3/createRoom",
            json={"preset": "public_chat", "name": "bench", "visibility": "private"},
            headers=owner,
        )
        response.raise_for_status()
        room_id: str = response.json()["room_id"]

        async def join(account: Account) -> None:
            joined = await http.post(
                f"/_matrix/client/v3/join/{room_id}",
                json={},
                headers={"Authorization": f"Bearer {account.token}"},
            )
            joined.raise_for_status()

        await bounded(accounts[1:], join, limit=8)
    return room_id, accounts


async def send(
    http: httpx.AsyncClient, room_id: str, token: str, txn: str, text: str
) -> httpx.Response:
    return await http.put(
        f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{txn}",
        json={"msgtype": "m.text", "body": text},
        headers={"Authorization": f"Bearer {token}"},
    )
