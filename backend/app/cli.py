"""The ``tempo`` command line (names pinned by DESIGN section 18)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import date
from typing import Annotated, Any

import typer

from app.core.config import get_settings
from app.core.enums import ApiKeyScope, Role
from app.core.models import utcnow

app = typer.Typer(help="Tempo customer-health service.", no_args_is_help=True, add_completion=False)
user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="api-key")


@app.callback()
def _setup() -> None:
    import app.models  # noqa: F401  (every table known to the ORM before a command touches it)
    from app.core.logging import configure_logging

    configure_logging()


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Uvicorn worker processes")] = 1,
) -> None:
    """Serve the REST/GraphQL API (and the built SPA when present)."""
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The client's address and scheme come from app.core.proxy (trusted_proxies only);
        # uvicorn would otherwise believe X-Forwarded-* from 127.0.0.1 on its own.
        proxy_headers=False,
        log_level="info",
        log_config=None,  # Tempo's structured logging (core/logging.py) writes uvicorn's lines too
    )


@app.command()
def worker() -> None:
    """Run an arq worker (scoring, alerting, deliveries, scheduled jobs); it reconnects after
    Redis outages and restarts after crashes until SIGINT/SIGTERM."""
    from app.core.supervise import run_supervised
    from app.worker import worker_settings

    run_supervised(worker_settings())


@app.command()
def migrate(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply database migrations (alembic upgrade); when they change what revenue data means,
    derive revenue and renewals again from the subscription lines."""
    from app.core.migrate import current_revision, needs_rederive, upgrade

    url = get_settings().database_url
    if not url:
        _err("DATABASE_URL is not set")
        raise typer.Exit(2)
    before = current_revision(url)
    upgrade(url, revision)
    typer.echo(f"database migrated to {revision}")
    if revision == "head" and needs_rederive(before):
        from app.flows import demo_book

        movements = asyncio.run(demo_book.rebuild_revenue())
        typer.echo(f"revenue and renewals derived again under the new definitions ({movements:,} movements)")


def _progress(table: str, done: int, total: int) -> None:
    pct = f"{100 * done / total:5.1f}%" if total else ""
    _err(f"  {table:<22} {done:>12,} rows {pct}")


@app.command("demo-data")
def demo_data(
    accounts: Annotated[int, typer.Option(min=1, max=200_000, help="Number of accounts")] = 1000,
    months: Annotated[int, typer.Option(min=1, max=60, help="Months of history")] = 18,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same book)")] = 42,
    replace: Annotated[bool, typer.Option(help="Replace existing demo data")] = False,
) -> None:
    """Generate a realistic, deterministic demo book and bulk-load it."""
    started = time.perf_counter()
    _err(f"generating {accounts:,} accounts x {months} months (seed {seed})")
    try:
        from app.flows import demo_book

        summary = asyncio.run(demo_book.load(accounts, months, seed, replace, progress=_progress))
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    elapsed = time.perf_counter() - started
    for table, rows in summary.rows.items():
        typer.echo(f"{table:<22} {rows:>12,}")
    typer.echo(f"demo data loaded in {elapsed:.1f} s")


async def _score(date_from: date, date_to: date, kind: str) -> Any:
    import app.models  # noqa: F401
    from app.core.db import dispose_engine, unit_of_work
    from app.core.enums import RunCadence, RunKind
    from app.flows import scoring_pass
    from app.scoring import runs

    try:
        async with unit_of_work() as session:
            # Always a new run: asked explicitly, the scores are recomputed (e.g. after a config change).
            run = await runs.create_run(
                session, RunKind(kind), date_from, date_to, RunCadence.daily, requested_by="cli"
            )
            run_id, total = run.id, run.total_shards
        _err(f"run {run_id}: {total} shard(s)")
        done = 0

        def progress(result: runs.ShardResult) -> None:
            nonlocal done
            done += 1
            _err(f"  shard {result.shard_no} done: {result.snapshots:,} snapshots ({done}/{total} here)")

        await scoring_pass.work_run(run_id, progress)
        async with unit_of_work() as session:
            return await runs.get_run(session, run_id)
    finally:
        await dispose_engine()


@app.command("revenue-rebuild")
def revenue_rebuild() -> None:
    """Recompute every account's ARR movements, monthly ARR, period rollups and renewal
    outcomes from the subscription lines (the nightly job does the same)."""
    started = time.perf_counter()
    from app.flows import demo_book

    movements = asyncio.run(demo_book.rebuild_revenue())
    _err(f"{movements:,} ARR movements in {time.perf_counter() - started:.1f} s")


@app.command()
def score(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Score as of this date (YYYY-MM-DD)")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Backfill from this date")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Backfill to this date (inclusive)")] = None,
) -> None:
    """Score every account for one date or each day of a range; returns when the scores are written."""
    if as_of and (date_from or date_to):
        _err("use either --as-of or --from/--to")
        raise typer.Exit(2)
    try:
        if date_from or date_to:
            start = date.fromisoformat(date_from or date_to or "")
            end = date.fromisoformat(date_to or date_from or "")
            if end < start:
                raise ValueError("--to is before --from")
            kind = "backfill"
        else:
            start = end = date.fromisoformat(as_of) if as_of else utcnow().date()
            kind = "daily"
    except ValueError as exc:
        _err(f"invalid date: {exc}")
        raise typer.Exit(2) from exc
    started = time.perf_counter()
    run = asyncio.run(_score(start, end, kind))
    elapsed = time.perf_counter() - started
    if run.status != "succeeded":
        _err(f"run {run.id} {run.status}: {run.error or 'shards still pending'}")
        raise typer.Exit(1)
    typer.echo(f"{run.snapshots_written:,} snapshots written for {run.accounts_total:,} accounts in {elapsed:.1f} s")


async def _create_user(email: str, role: Role, name: str | None, password: str | None) -> str:
    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work

    try:
        async with unit_of_work() as session:
            user = await service.create_user(session, email=email, role=role, name=name, password=password, actor="cli")
            return str(user.id)
    finally:
        await dispose_engine()


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Email address (the login)")],
    role: Annotated[Role, typer.Option(help="admin, leader, csm, product or viewer")],
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (or set TEMPO_USER_PASSWORD; prompted when interactive)")
    ] = None,
) -> None:
    """Create a user."""
    from app.core.errors import ProblemError

    password = password or os.environ.get("TEMPO_USER_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password is not None and len(password) < 8:
        _err("password must be at least 8 characters")
        raise typer.Exit(2)
    try:
        user_id = asyncio.run(_create_user(email, role, name, password))
    except ProblemError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    typer.echo(f"created user {email} ({role.value}) {user_id}")


async def _create_key(name: str, role: Role | None, scopes: list[ApiKeyScope]) -> tuple[str, str]:
    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work

    try:
        async with unit_of_work() as session:
            api_key, key = await service.create_api_key(session, name=name, role=role, scopes=scopes, actor="cli")
            return key, api_key.role
    finally:
        await dispose_engine()


@key_app.command("create")
def api_key_create(
    name: Annotated[str, typer.Option(help="What the key is for")],
    role: Annotated[
        Role | None, typer.Option(help="Role the key acts with (needed unless --scope read, ingest or admin)")
    ] = None,
    scope: Annotated[
        list[ApiKeyScope] | None,
        typer.Option(
            help="Repeatable. read, ingest, admin: the key may do only what they cover (reading; sending data; "
            "everything); embed: it issues embed tokens"
        ),
    ] = None,
) -> None:
    """Create an API key; the key alone is printed on the last line."""
    from app.core.errors import ProblemError

    try:
        key, acting = asyncio.run(_create_key(name, role, scope or []))
    except ProblemError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    scopes = f", scopes {', '.join(sorted(s.value for s in scope))}" if scope else ""
    typer.echo(f"API key '{name}' ({acting}{scopes}) created; it is shown only once:")
    typer.echo(key)


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    accounts: Annotated[int, typer.Option(help="Demo accounts to load on first start")] = 1000,
) -> None:
    """Everything on one URL: services (configured or embedded), migrations, demo data, API, SPA, worker."""
    from app.runner import run_all_in_one

    run_all_in_one(host=host, port=port, demo_accounts=accounts)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
