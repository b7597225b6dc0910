"""Liveness and readiness probes (no auth)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.core.db import ping
from app.core.jobs import get_pool

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    redis: str


@router.get("/healthz", operation_id="liveness", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


async def _check_db() -> str:
    try:
        async with asyncio.timeout(3):
            await ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def _check_redis() -> str:
    try:
        async with asyncio.timeout(3):
            pool = await get_pool()
            await pool.ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


@router.get("/readyz", operation_id="readiness", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz() -> JSONResponse:
    database, redis = await asyncio.gather(_check_db(), _check_redis())
    ok = database == "ok" and redis == "ok"
    body = Readiness(status="ok" if ok else "unavailable", database=database, redis=redis)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
