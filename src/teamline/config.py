"""Configuration from ``TEAMLINE_*`` environment variables and an optional TOML file.

Precedence: environment over the TOML file (``TEAMLINE_CONFIG_FILE``) over defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of a Teamline node. Names map to ``TEAMLINE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="TEAMLINE_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str = ""  # empty: SQLite file teamline.db in data_dir
    redis_url: str = ""  # empty: in-process event bus (one node)
    redis_channel: str = "teamline:events"
    public_url: str = ""  # empty: http://<host>:<port>
    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "info"
    # How long a SQLite write waits for another writer before the request gets a 503.
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0)
    default_region: str = "DE"
    pairing_ttl_seconds: int = Field(300, ge=10)
    pairing_regenerate_window_seconds: int = Field(1800, ge=60)
    # Sign-in rate limit: failures counted in a sliding window, per login and per address.
    signin_window_seconds: int = Field(300, ge=1)
    signin_max_failures_per_login: int = Field(5, ge=1)
    signin_max_failures_per_address: int = Field(20, ge=1)
    avatar_max_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    avatar_max_pixels: int = Field(40_000_000, ge=1)
    event_retention_seconds: int = Field(7 * 24 * 3600, ge=60)
    event_retention_max: int = Field(1_000_000, ge=100)  # facts kept at most (all users)
    node_heartbeat_seconds: float = Field(10.0, gt=0)
    # Web Push: the VAPID ``sub`` push services may contact (mailto: or https: URL);
    # empty: the public URL when it is https, else mailto:admin@<its host>.
    push_subject: str = ""
    group_max_members: int = Field(2000, ge=2)
    attachment_max_bytes: int = Field(100 * 1024 * 1024, ge=1024)
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=8)
    argon2_parallelism: int = Field(4, ge=1)
    password_min_length: int = Field(8, ge=1)

    @model_validator(mode="after")
    def _public_url(self) -> Settings:
        self.public_url = (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The async SQLAlchemy URL: SQLite in the data dir unless a database URL is set."""
        url = self.database_url
        if not url:
            return f"sqlite+aiosqlite:///{(self.data_dir / 'teamline.db').resolve()}"
        if url.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + url.split("://", 1)[1]
        if url.startswith("sqlite://"):
            return "sqlite+aiosqlite://" + url.split("://", 1)[1]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")


def _toml_values() -> dict[str, Any]:
    path = os.environ.get("TEAMLINE_CONFIG_FILE")
    if not path:
        return {}
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    section = data.get("teamline", data)
    return {key.lower(): value for key, value in section.items()}


def load_settings(**overrides: Any) -> Settings:
    """Settings from the TOML file, then the environment, then ``overrides``."""
    values = _toml_values()
    env_names = {name for name in os.environ if name.startswith("TEAMLINE_")}
    # The environment wins over the file: drop file values the environment sets.
    for key in list(values):
        if f"TEAMLINE_{key.upper()}" in env_names:
            del values[key]
    values.update(overrides)
    return Settings(**values)
