"""The PWA: the shell, its service worker and manifest, and the static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

STATIC = Path(__file__).resolve().parent / "static"
NO_CACHE = {"Cache-Control": "no-cache"}


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @app.get("/sw.js", include_in_schema=False)
    async def service_worker() -> FileResponse:
        return FileResponse(
            STATIC / "sw.js",
            media_type="text/javascript",
            headers={**NO_CACHE, "Service-Worker-Allowed": "/"},
        )

    @app.get("/manifest.webmanifest", include_in_schema=False)
    async def manifest() -> FileResponse:
        return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")

    @app.get("/{path:path}", include_in_schema=False)
    async def shell(path: str) -> FileResponse:
        """Every other page address is the app shell; the client routes by path."""
        if path.startswith(("api/", "static/")) or path in ("api", "openapi.json"):
            raise HTTPException(404)
        return FileResponse(STATIC / "index.html", media_type="text/html", headers=NO_CACHE)
