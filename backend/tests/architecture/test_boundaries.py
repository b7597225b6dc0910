"""The code's boundaries, checked: SQL only in repositories, one registry of job names that
the worker and every enqueuer share, and the import contract (also in `make lint`)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from app.core.jobs import Job
from app.worker import FUNCTIONS, worker_settings

APP = Path(__file__).resolve().parents[2] / "app"

# Modules allowed to hold SQL besides each package's repository.py and models.py, and why.
SQL_ALLOWED = {
    "core": "the floor: sessions, the outbox's own table, migrations glue",
    "accounts/picture.py": "the account picture: one read-model statement whose JSON Postgres writes",
    "book/filters.py": "compiles the filter language to the WHERE clauses the book repository runs",
    "demo/loader.py": "bulk COPY of a generated book (asyncpg, no ORM)",
    "demo/feedback.py": "the generated book's product feedback, loaded on the loader's connection",
}
SQL_NAMES = {"select", "text", "insert", "update", "delete", "union", "union_all", "exists"}
SQL_CALLS = {"execute", "scalar", "scalars", "stream", "stream_scalars", "copy_records_to_table", "fetch", "fetchrow"}


def _allowed(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    # a package's repository: repository.py, a repository/ package, or <part>_repository.py
    if name in ("repository.py", "models.py") or name.endswith("_repository.py") or "repository" in parts[:-1]:
        return True
    return any(rel == k or rel.startswith(k + "/") for k in SQL_ALLOWED)


def _sql_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
            found += [f"imports {a.name} from {node.module}" for a in node.names if a.name in SQL_NAMES]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            if _http_stream(node):
                continue
            found.append(f"calls .{node.func.attr}() (line {node.lineno})")
    return found


def _http_stream(call: ast.Call) -> bool:
    """``client.stream("POST", url)`` is httpx streaming a response, not a query."""
    first = call.args[0] if call.args else None
    return (
        call.func.attr == "stream"  # type: ignore[attr-defined]
        and isinstance(first, ast.Constant)
        and first.value in ("GET", "POST", "PUT", "PATCH", "DELETE")
    )


def test_sql_lives_in_repositories() -> None:
    offenders = {}
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP).as_posix()
        if _allowed(rel):
            continue
        uses = _sql_uses(ast.parse(path.read_text()))
        if uses:
            offenders[rel] = uses
    assert offenders == {}, "SQL outside repositories (move it to the package's repository.py):\n" + "\n".join(
        f"  {m}: {', '.join(u)}" for m, u in offenders.items()
    )


def test_the_detector_sees_sql() -> None:
    """The check above would catch a query in a service."""
    service = "from sqlalchemy import select\nasync def f(session):\n    return await session.scalar(select(1))\n"
    assert _sql_uses(ast.parse(service)) == ["imports select from sqlalchemy", "calls .scalar() (line 3)"]
    assert _sql_uses(ast.parse("def f(rows):\n    return sorted(rows)\n")) == []
    assert _sql_uses(ast.parse("async def f(c):\n    async with c.stream('POST', u) as r: pass\n")) == []
    assert _sql_uses(ast.parse("async def f(s):\n    return await s.stream(q)\n")) == ["calls .stream() (line 2)"]


def test_the_worker_runs_exactly_the_registered_jobs(database_url: str) -> None:
    registered = {j.value for j in Job}
    assert {f.__name__ for f in FUNCTIONS} == registered
    assert {f.__name__ for f in worker_settings().functions} == registered
    assert {c.coroutine.__name__ for c in worker_settings().cron_jobs} <= registered


def test_every_enqueue_names_a_registered_job() -> None:
    """Jobs are queued by ``Job`` member, never by a bare string (mypy holds the type; this
    holds the call sites, function-local ones too)."""
    bare = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "enqueue":
                name = node.args[1] if len(node.args) > 1 else None
                if not (
                    isinstance(name, ast.Attribute) and isinstance(name.value, ast.Name) and name.value.id == "Job"
                ):
                    bare.append(f"{path.relative_to(APP)}:{node.lineno}")
    assert bare == []


def test_the_import_contract_holds() -> None:
    """The same contract `make lint` checks (layers, no cycles), so `make test` keeps it too."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=APP.parent, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_flows_are_named_for_what_happens() -> None:
    """Each flow module's first docstring line says what happens, and no flow is a grab bag."""
    for path in sorted((APP / "flows").glob("*.py")):
        if path.name == "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        assert doc, f"flows/{path.name} says nothing about what happens"
        assert not re.search(r"\b(utils?|helpers?|misc)\b", path.stem), path.name
