"""The FastAPI application: routers, error shape, security headers and the built SPA."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import app.models  # noqa: F401  (every table known to the ORM, whichever routers are mounted)
from app import __version__
from app.accounts.router import router as accounts_router
from app.alerts.router import router as alerts_router
from app.analytics.router import router as analytics_router
from app.audit.router import router as audit_router
from app.auth.dependencies import ADMIN_ONLY
from app.auth.router import router as auth_router
from app.book.router import router as book_router
from app.catalog.router import router as catalog_router
from app.connectors.router import router as connectors_router
from app.connectors.segment import wire as segment_wire
from app.core import docs, openapi
from app.core.config import REPO_ROOT, get_settings
from app.core.db import dispose_engine
from app.core.errors import PROBLEM_RESPONSES, install_error_handlers
from app.core.jobs import close_pool
from app.core.limits import BodyLimits
from app.core.logging import configure_logging
from app.core.middleware import RequestContext, SecurityHeaders, StorableUrl
from app.embed.router import router as embed_router
from app.embed.router import tile_router
from app.feedback.router import router as feedback_router
from app.graphql import router as graphql
from app.health.router import router as health_router
from app.hygiene.router import router as hygiene_router
from app.identity.router import router as identity_router
from app.imports.router import router as import_router
from app.ingest.router import BATCH_SCHEMAS
from app.ingest.router import router as ingest_router
from app.ingest.schemas import ITEM_MODELS
from app.meta.router import router as meta_router
from app.notifications.router import router as notifications_router
from app.playbooks.router import router as playbooks_router
from app.quadrants.router import router as quadrants_router
from app.queue.router import router as queue_router
from app.renewals.router import router as renewals_router
from app.revenue.router import fx_router
from app.revenue.router import router as metrics_router
from app.saved_views.router import router as views_router
from app.scoring.router import accounts_router as health_router_
from app.scoring.router import router as scoring_router
from app.tasks.router import router as tasks_router
from app.team.router import accounts_router as team_accounts_router
from app.team.router import router as team_router
from app.touchpoints.router import router as touchpoints_router

SPA_DIST = REPO_ROOT / "frontend" / "dist"
TILE_STATIC = Path(__file__).parent / "tiles" / "static"  # the tile page's script and styles, <tempo-tile>


def _operation_id(route: APIRoute) -> str:
    return route.operation_id or route.name


class SPAFiles(StaticFiles):
    """Serve the built SPA; unknown paths get index.html so client-side routes load."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or path.startswith(("api/", "graphql", "segment/", "embed/")):
                raise
            return await super().get_response("index.html", scope)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await close_pool()
    await dispose_engine()


def create_app(spa_dist: Path | None = SPA_DIST) -> FastAPI:
    settings = get_settings()
    configure_logging()
    app = FastAPI(
        title="Tempo",
        version=__version__,
        description="Customer-health service: accounts, health scores, quadrants, alerts and revenue metrics.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        responses=PROBLEM_RESPONSES,
        openapi_url="/openapi.json",
        docs_url=None,  # ours, below: assets served locally, off by default in production
        redoc_url=None,
    )
    install_error_handlers(app, {"/segment/": segment_wire.error_response})
    openapi.install(
        app,
        models=list(ITEM_MODELS.values()),
        extra=BATCH_SCHEMAS,
        dialects={"/segment/": {"application/json": {"schema": openapi.ref(segment_wire.SegmentError)}}},
    )

    app.add_middleware(BodyLimits)  # innermost: its 413/400 answers get the headers and request id
    app.add_middleware(SecurityHeaders)
    app.add_middleware(StorableUrl)
    app.add_middleware(RequestContext)  # outermost: every line of a request carries its id

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type"],
        )

    if settings.docs_enabled:
        docs.install(app, "/openapi.json")
    app.include_router(tile_router)  # first: routes match in order, and hosts call it most
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(meta_router)
    app.include_router(book_router)  # before accounts: /accounts/fields is not an account id
    app.include_router(accounts_router)
    app.include_router(ingest_router)
    app.include_router(connectors_router)
    app.include_router(import_router)
    app.include_router(identity_router)
    app.include_router(health_router_)
    app.include_router(scoring_router)
    app.include_router(quadrants_router)
    app.include_router(alerts_router)
    app.include_router(queue_router)
    app.include_router(playbooks_router)
    app.include_router(tasks_router)
    app.include_router(touchpoints_router)
    app.include_router(views_router)
    app.include_router(metrics_router)
    app.include_router(fx_router)
    app.include_router(renewals_router)
    app.include_router(team_router)
    app.include_router(team_accounts_router)
    app.include_router(analytics_router)
    app.include_router(hygiene_router)
    app.include_router(feedback_router)
    app.include_router(notifications_router)
    app.include_router(embed_router)
    app.include_router(audit_router, dependencies=[ADMIN_ONLY])  # admins only (see its module)
    app.include_router(catalog_router)
    app.mount("/embed/static", StaticFiles(directory=TILE_STATIC, check_dir=False), name="embed-static")
    app.include_router(
        graphql.build(settings.docs_enabled), prefix="/graphql", tags=["graphql"], include_in_schema=False
    )

    if spa_dist is not None and (spa_dist / "index.html").exists():
        app.mount("/", SPAFiles(directory=spa_dist, html=True), name="spa")
    return app
