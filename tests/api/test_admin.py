"""Administration of users through the API and the CLI (ADM-1), backup and migrations (ADM-3)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from teamline.core.migrate import include_object
from teamline.models import Base
from tests.harness import (
    FAST_HASHING,
    PASSWORD,
    Server,
    async_url,
    expect_error,
    node_settings,
    run_server,
)
from tests.test_support import tiny_png

TEAMLINE = str(Path(sys.executable).with_name("teamline"))


def cli(data_dir: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEAMLINE_DATA_DIR": str(data_dir), "TEAMLINE_DATABASE_URL": database_url}
    env.update({f"TEAMLINE_{k.upper()}": str(v) for k, v in FAST_HASHING.items()})
    return subprocess.run(
        [TEAMLINE, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.feature("ADM-1")
async def test_admin_manages_users(server: Server) -> None:
    admin = await server.signed_in("boss", role="admin")
    created = await admin.admin_create_user(
        login="jonas",
        display_name="Jonas Müller",
        password="s3cret-pass",
        extension="103",
        email="jonas@example.com",
        mobile_number="0171 9876543",
        role="phonebook-manager",
        may_pair_self=False,
    )
    assert created["mobile_number"] == "+491719876543"
    assert created["permissions"] == {"may_pair_self": False, "may_edit_follow_me": False}
    assert created["role"] == "phonebook-manager"
    assert {u["login"] for u in await admin.admin_users()} == {"boss", "jonas"}
    updated = await admin.admin_update_user(
        created["id"],
        display_name="Jonas Müller-Lüdenscheidt",
        may_edit_follow_me=True,
        extension="150",
    )
    assert updated["display_name"] == "Jonas Müller-Lüdenscheidt"
    assert updated["extension"] == "150"
    assert updated["permissions"]["may_edit_follow_me"] is True
    assert (await admin.admin_users())[1]["display_name"].startswith("Jonas")
    jonas = server.client()
    await jonas.sign_in("jonas", "s3cret-pass")
    await admin.admin_delete_user(created["id"])
    await expect_error(jonas.me(), 401, "unauthenticated")
    await expect_error(admin.admin_update_user(created["id"], display_name="x"), 404, "not-found")


@pytest.mark.feature("ADM-1")
async def test_admin_refuses_conflicts_and_bad_input(server: Server) -> None:
    admin = await server.signed_in("boss", role="admin", extension="100")
    await expect_error(
        admin.admin_create_user(login="BOSS", display_name="x", password=PASSWORD),
        409,
        "login-taken",
    )
    await expect_error(
        admin.admin_create_user(login="a", display_name="x", password=PASSWORD, extension="100"),
        409,
        "extension-taken",
    )
    error = await expect_error(
        admin.admin_create_user(login="a b", display_name="", password=PASSWORD, role="king"),
        422,
        "invalid-input",
    )
    assert {"login", "display_name", "role"} <= set(error.details)
    await expect_error(
        admin.admin_create_user(login="a", display_name="A", password="short"), 422, "invalid-input"
    )
    await expect_error(
        admin.admin_create_user(
            login="a", display_name="A", password=PASSWORD, mobile_number="nonsense"
        ),
        422,
        "invalid-input",
    )


@pytest.mark.feature("ADM-1")
async def test_only_admins_use_the_admin_api(server: Server) -> None:
    user = await server.create_user("victim")
    max_ = await server.signed_in("max")
    await expect_error(max_.admin_users(), 403, "forbidden")
    await expect_error(
        max_.admin_create_user(login="x", display_name="x", password=PASSWORD), 403, "forbidden"
    )
    await expect_error(max_.admin_update_user(user["id"], role="admin"), 403, "forbidden")
    await expect_error(max_.admin_delete_user(user["id"]), 403, "forbidden")
    assert (await max_.me())["role"] == "user"


@pytest.mark.feature("ADM-1", "PAIR-6")
async def test_disabling_a_user_revokes_every_device(server: Server) -> None:
    admin = await server.signed_in("boss", role="admin")
    max_ = await server.signed_in("max")
    assert max_.account is not None
    async with max_.events() as stream:
        await admin.admin_update_user(max_.account["id"], disabled=True)
        await stream.wait_for("device.revoked")
    await expect_error(max_.me(), 401, "unauthenticated")
    assert "max" not in {u["login"] for u in await admin.users()}
    await admin.admin_update_user(max_.account["id"], disabled=False)
    await server.client().sign_in("max", PASSWORD)


@pytest.mark.feature("ADM-1")
async def test_cli_user_commands(database_url: str, tmp_path: Path) -> None:
    run = lambda *a: cli(tmp_path, database_url, *a)  # noqa: E731
    added = await asyncio.to_thread(
        run,
        "admin",
        "user",
        "add",
        "max",
        "--name",
        "Max-Andreas Mustermann",
        "--password",
        "s3cret-pass",
        "--extension",
        "101",
        "--role",
        "admin",
        "--mobile",
        "0170 1234567",
    )
    assert added.returncode == 0, added.stderr
    assert "Max-Andreas Mustermann" in added.stdout
    duplicate = await asyncio.to_thread(
        run, "admin", "user", "add", "max", "--name", "X", "--password", "s3cret-pass"
    )
    assert duplicate.returncode == 1
    assert "taken" in duplicate.stderr
    bad = await asyncio.to_thread(
        run,
        "admin",
        "user",
        "add",
        "eve",
        "--name",
        "Eve",
        "--password",
        "s3cret-pass",
        "--role",
        "king",
    )
    assert bad.returncode == 2 and "role" in bad.stderr
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "login,name,password,extension,email,mobile,role\n"
        "erika,Erika Musterfrau,erika-pass1,102,erika@example.com,+491719876543,user\n"
        "bad login,Broken,pass-word-1,,,,user\n"
        "jonas,Jonas Müller,jonas-pass1,101,,,user\n"
        "lea,Lea Schäfer,lea-pass-12,104,,not a number,phonebook-manager\n"
        "paul,Paul Schneider,paul-pass-1,105,,,user\n",
        encoding="utf-8",
    )
    imported = await asyncio.to_thread(run, "admin", "user", "import", str(csv_file))
    assert imported.returncode == 1
    assert "2 users created, 3 rows refused" in imported.stdout
    assert "line 3:" in imported.stderr and "line 4:" in imported.stderr
    assert "line 5:" in imported.stderr
    listed = await asyncio.to_thread(run, "admin", "user", "list")
    logins = [line.split()[0] for line in listed.stdout.splitlines()]
    assert sorted(logins) == ["erika", "max", "paul"]
    changed = await asyncio.to_thread(
        run, "admin", "user", "set-password", "erika", "--password", "brand-new-pass"
    )
    assert changed.returncode == 0, changed.stderr
    disabled = await asyncio.to_thread(run, "admin", "user", "disable", "paul")
    assert disabled.returncode == 0 and "(disabled)" in disabled.stdout
    missing = await asyncio.to_thread(run, "admin", "user", "disable", "nobody")
    assert missing.returncode == 1 and "nobody" in missing.stderr


@pytest.mark.feature("ADM-3")
async def test_backup_and_restore_all_data(
    server: Server, tmp_path: Path, db_template: Path | None
) -> None:
    max_ = await server.signed_in(
        "max", display_name="Max-Andreas Mustermann", mobile_number="+491701234567"
    )
    await max_.set_presence("dnd", "Urlaub")
    await max_.update_settings(language="en", theme="dark")
    await max_.upload_avatar(tiny_png())
    backup_file = tmp_path / "backup.jsonl.gz"
    done = await asyncio.to_thread(
        cli, tmp_path, server.settings.database_url, "admin", "backup", str(backup_file)
    )
    assert done.returncode == 0, done.stderr
    # Restoring into the same, non-empty database is refused.
    again = await asyncio.to_thread(
        cli, tmp_path, server.settings.database_url, "admin", "restore", str(backup_file)
    )
    assert again.returncode == 1 and "not empty" in again.stderr
    # Into a fresh SQLite database: everything is back, whatever the source database was.
    target = tmp_path / "restored"
    target.mkdir()
    url = f"sqlite:///{target / 'teamline.db'}"
    restored = await asyncio.to_thread(cli, target, url, "admin", "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    async with run_server(node_settings(target, url)) as copy:
        client = copy.client()
        await client.sign_in("max", PASSWORD)
        me = await client.me()
        assert me["presence"]["state"] == "dnd" and me["presence"]["text"] == "Urlaub"
        assert me["settings"]["theme"] == "dark"
        assert me["mobile_number"] == "+491701234567"
        kind, _ = await client.avatar(me["id"])
        assert kind == "image/png"
        # The search index is not in the backup: restore rebuilt it.
        found = (await client.request("GET", "/search", params={"q": "And Muster"})).json()
        assert [r["title"] for r in found["results"]] == ["Max-Andreas Mustermann"]


@pytest.mark.feature("ADM-3")
async def test_migrations_build_exactly_the_models(database_url: str) -> None:
    engine = create_async_engine(async_url(database_url))
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"include_object": include_object}),
                Base.metadata,
            )
        )
    await engine.dispose()
    assert diff == []
