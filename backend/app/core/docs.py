"""The interactive API explorer at ``/docs``, served entirely by Tempo.

Swagger UI's files come from the ``fastapi-offline`` package, which ships a current Swagger
UI build (OpenAPI 3.1, which FastAPI writes, needs Swagger UI 5); only its files are used.
Nothing is loaded from a CDN, so the page works offline and a compromised CDN cannot run script on Tempo's origin),
and the page has no inline script, so it runs under the same strict Content-Security-Policy
as the SPA. The explorer is on by default except in production (``TEMPO_API_DOCS``); the
document itself, ``/openapi.json``, is always served.
"""

from __future__ import annotations

import json
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/assets"
_FILES = Path(fastapi_offline.__file__).parent / "static"

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""


def install(app: FastAPI, openapi_url: str) -> None:
    """Add ``/docs`` (page, start script, assets) to ``app``."""
    page = _PAGE.replace("{title}", app.title)
    start = (
        "window.ui = SwaggerUIBundle("
        + json.dumps({"url": openapi_url, "dom_id": "#swagger-ui", "deepLinking": True, "persistAuthorization": False})
        + ");\n"
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/start.js", include_in_schema=False)
    async def docs_start() -> Response:
        return Response(start, media_type="text/javascript")

    app.mount(ASSETS, StaticFiles(directory=_FILES), name="docs-assets")
