"""Liveness and readiness probes (no auth)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.core.config import get_settings
from app.core.db import ping
from app.core.errors import PROBLEM_JSON, Problem
from app.core.jobs import get_pool
from app.core.supervise import queue_depth, read_heartbeat

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class WorkerState(BaseModel):
    """The job worker, by its heartbeat (written every ~10 s while its poll loop turns)."""

    status: Literal["ok", "stale", "missing", "unknown"] = Field(
        description="ok: a heartbeat younger than `worker_heartbeat_stale_seconds`; stale: an older one; "
        "missing: none (no worker has served this queue for a day, or ever); unknown: Redis is not reachable"
    )
    heartbeat_age_seconds: float | None = Field(description="Seconds since the last heartbeat (null: none read)")


class QueueState(BaseModel):
    """The job queue in Redis."""

    queued: int | None = Field(description="Jobs in the queue: due, deferred or running (null: Redis not reachable)")
    oldest_due_seconds: float | None = Field(
        description="How long the oldest due job no worker has started yet has waited (null: none waiting)"
    )


class Readiness(BaseModel):
    status: Literal["ok"] = Field(description="ok (when a check fails, the answer is a 503 problem with these checks)")
    database: str = Field(description="ok, or error: <what went wrong>")
    redis: str = Field(description="ok, or error: <what went wrong>")
    worker: WorkerState
    queue: QueueState


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


async def _check_redis() -> tuple[str, WorkerState, QueueState]:
    settings = get_settings()
    try:
        async with asyncio.timeout(3):
            pool = await get_pool()
            await pool.ping()
            age = await read_heartbeat(pool, settings.arq_queue_name)
            depth = await queue_depth(pool, settings.arq_queue_name)
    except Exception as exc:
        unknown = WorkerState(status="unknown", heartbeat_age_seconds=None)
        return f"error: {type(exc).__name__}", unknown, QueueState(queued=None, oldest_due_seconds=None)
    if age is None:
        worker = WorkerState(status="missing", heartbeat_age_seconds=None)
    else:
        fresh = age <= settings.worker_heartbeat_stale_seconds
        worker = WorkerState(status="ok" if fresh else "stale", heartbeat_age_seconds=round(age, 1))
    oldest = None if depth.oldest_due_seconds is None else round(depth.oldest_due_seconds, 1)
    return "ok", worker, QueueState(queued=depth.queued, oldest_due_seconds=oldest)


@router.get(
    "/readyz",
    operation_id="readiness",
    response_model=Readiness,
    responses={
        503: {
            "model": Problem,
            "description": "Not ready: a problem whose extra members `database`, `redis`, `worker` and `queue` "
            "are those of Readiness (the checks, the failing ones named in `detail`)",
        }
    },
)
async def readyz() -> JSONResponse:
    """Ready when PostgreSQL and Redis answer and a worker's heartbeat is fresh (a stale or
    missing heartbeat means no job is being run). Otherwise 503, with the same checks."""
    (database, (redis, worker, queue)) = await asyncio.gather(_check_db(), _check_redis())
    checks = {"database": database, "redis": redis, "worker": worker.model_dump(), "queue": queue.model_dump()}
    failing = [f"{name}: {value}" for name, value in (("database", database), ("redis", redis)) if value != "ok"]
    if redis == "ok" and worker.status != "ok":
        failing.append(f"worker: heartbeat {worker.status}")
    if not failing:
        return JSONResponse(
            Readiness(status="ok", database=database, redis=redis, worker=worker, queue=queue).model_dump()
        )
    problem = Problem(title="Not ready", status=503, detail="; ".join(failing)).model_dump(exclude_none=True)
    return JSONResponse({**problem, **checks}, status_code=503, media_type=PROBLEM_JSON)
