"""The access matrix (DESIGN §16): every write route of the app, by every role, by (for routes on
one account) the caller's relation to the account: its owner, on its team, or neither.

The routes are read from the app itself, so a new write route fails
``test_every_write_route_is_classified`` until it gets a row in ``ROUTES`` saying which policy
applies. A cell passes the policy when the answer is 2xx, 404, 409 or 422 (what comes after
the policy: a missing id, a conflict, a refused body) and is refused when it is 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.access import NOT_YOURS
from app.accounts.models import AccountTeamMember, Note
from app.alerts.models import Alert
from app.auth import service as auth_service
from app.auth.models import User
from app.core.enums import Role
from app.feedback.models import ProductFeedback
from app.main import create_app
from app.playbooks import service as playbooks
from app.playbooks.models import PlaybookRun
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.tasks.models import Task
from tests.factories import make_account, make_user

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MISSING = "00000000-0000-4000-8000-000000000000"

# -- policies -------------------------------------------------------------------------------
# ACCOUNT: a write to one account (``access.require_write``): admin, leader; a CSM on the
#   accounts they own or are on the team of.
# TEAM: replacing an account's team: admin, leader, the CSM who owns it (not its team).
# READ: every role (a POST that changes nothing, or what each user owns: previews, saved
#   views, sign-out, GraphQL queries).
# LEAD / ADMIN / INGEST: by role only (``app.auth.permissions``).
# OUTSIDE: not bearer-authenticated at all (sign-in; Stripe signs its webhooks; Segment
#   sends a write key over HTTP Basic): a bearer token of any role grants nothing more.
ACCOUNT, TEAM, READ, LEAD, ADMIN, INGEST, OUTSIDE = "account", "team", "read", "lead", "admin", "ingest", "outside"
ACCOUNT_SCOPED = frozenset({ACCOUNT, TEAM})

ROLES = tuple(Role)
RELATIONS = ("owner", "team", "other")


@dataclass
class Cell:
    """One cell: the caller, and an account it owns, is on the team of, or neither."""

    session: AsyncSession
    role: Role
    user: User
    account_id: uuid.UUID
    relation: str | None


Build = Callable[[Cell], Awaitable[tuple[str, dict[str, Any]]]]


def fixed(path: str, **kwargs: Any) -> Build:
    async def build(cell: Cell) -> tuple[str, dict[str, Any]]:
        return path.replace("{account_id}", str(cell.account_id)), kwargs

    return build


async def _alert(cell: Cell) -> uuid.UUID:
    alert = Alert(
        account_id=cell.account_id,
        rule="critical_ticket",
        severity="high",
        dedupe_key=f"matrix:{uuid.uuid4()}",
        title="A P1 ticket is open",
        opened_at=datetime.now(UTC),
    )
    cell.session.add(alert)
    await cell.session.flush()
    return alert.id


def on_alert(action: str, **kwargs: Any) -> Build:
    async def build(cell: Cell) -> tuple[str, dict[str, Any]]:
        return f"/api/v1/alerts/{await _alert(cell)}/{action}", kwargs

    return build


async def _note(cell: Cell) -> tuple[str, dict[str, Any]]:
    # the caller wrote it: what is tested here is the account, not the author rule
    note = Note(account_id=cell.account_id, author_id=cell.user.id, body="Exec sponsor changed")
    cell.session.add(note)
    await cell.session.flush()
    return f"/api/v1/accounts/{cell.account_id}/notes/{note.id}", {}


async def _task(cell: Cell) -> tuple[str, dict[str, Any]]:
    task = Task(account_id=cell.account_id, title="Call the champion")  # assigned to no one
    cell.session.add(task)
    await cell.session.flush()
    return f"/api/v1/tasks/{task.id}", {"json": {"status": "done"}}


async def _new_task(cell: Cell) -> tuple[str, dict[str, Any]]:
    return "/api/v1/tasks", {"json": {"account_id": str(cell.account_id), "title": "Prepare the QBR"}}


async def _renewal(cell: Cell) -> tuple[str, dict[str, Any]]:
    renewal = Renewal(account_id=cell.account_id, renewal_date=scoring.today() + timedelta(days=40))
    cell.session.add(renewal)
    await cell.session.flush()
    return f"/api/v1/renewals/{renewal.id}", {"json": {"forecast": "risk", "owner_notes": "Budget cut"}}


async def _playbook_id(cell: Cell) -> uuid.UUID:
    return (await playbooks.list_playbooks(cell.session))[0].id


async def _start(cell: Cell) -> tuple[str, dict[str, Any]]:
    path = f"/api/v1/playbooks/{await _playbook_id(cell)}/runs"
    return path, {"json": {"account_id": str(cell.account_id)}}


async def _complete(cell: Cell) -> tuple[str, dict[str, Any]]:
    run = PlaybookRun(playbook_id=await _playbook_id(cell), account_id=cell.account_id)
    cell.session.add(run)
    await cell.session.flush()
    return f"/api/v1/playbooks/runs/{run.id}/complete", {"json": {"outcome": "renewed"}}


async def _preview(cell: Cell) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/playbooks/{await _playbook_id(cell)}/preview", {"json": {"account_id": str(cell.account_id)}}


async def _draft_preview(cell: Cell) -> tuple[str, dict[str, Any]]:
    definition = {"name": "Check in", "steps": [{"title": "Call {{ account.name }}"}]}
    return "/api/v1/playbooks/preview", {"json": {"account_id": str(cell.account_id), "definition": definition}}


async def _new_feedback(cell: Cell) -> tuple[str, dict[str, Any]]:
    return "/api/v1/analytics/feedback", {"json": {"title": "Exports time out", "account_id": str(cell.account_id)}}


async def _feedback(cell: Cell) -> tuple[str, dict[str, Any]]:
    item = ProductFeedback(account_id=cell.account_id, title="Exports time out", raised_at=datetime.now(UTC))
    cell.session.add(item)
    await cell.session.flush()
    return f"/api/v1/analytics/feedback/{item.id}", {"json": {"shipped_at": datetime.now(UTC).isoformat()}}


async def _embed_token(cell: Cell) -> tuple[str, dict[str, Any]]:
    body = {"tiles": ["health"], "account_ids": [str(cell.account_id)], "origins": ["https://host.example"]}
    return "/api/v1/embed-tokens", {"json": body}


async def _reassign(cell: Cell) -> tuple[str, dict[str, Any]]:
    # the cell's account to the caller (leaders and admins may own accounts)
    return "/api/v1/accounts/reassign", {"json": {"account_ids": [str(cell.account_id)], "owner_id": str(cell.user.id)}}


INVALID = {"json": {"not_a_field": True}}  # refused by the body's schema once the role passed
SEGMENT = {"json": {"type": "track", "userId": "u1", "event": "Opened"}}
INGEST_KINDS = (
    "accounts", "contacts", "events", "usage-daily", "tickets", "surveys", "touchpoints", "subscriptions", "invoices",
)  # fmt: skip
# Segment's calls, and the one-letter paths analytics.js posts to
SEGMENT_CALLS = (
    "track", "identify", "group", "page", "screen", "alias", "batch", "import", "t", "i", "g", "p", "s", "a", "b",
)  # fmt: skip

# (method, path) → (policy, how to call it). Every write route of the app, no more, no less.
ROUTES: dict[tuple[str, str], tuple[str, Build]] = {
    # -- one account's things: DESIGN §16 ---------------------------------------------------
    ("PATCH", "/api/v1/accounts/{account_id}"): (ACCOUNT, fixed("/api/v1/accounts/{account_id}", json={"flag": "red"})),
    ("POST", "/api/v1/accounts/{account_id}/notes"): (
        ACCOUNT,
        fixed("/api/v1/accounts/{account_id}/notes", json={"body": "Exec sponsor changed"}),
    ),
    ("DELETE", "/api/v1/accounts/{account_id}/notes/{note_id}"): (ACCOUNT, _note),
    ("POST", "/api/v1/accounts/{account_id}/touchpoints"): (
        ACCOUNT,
        fixed("/api/v1/accounts/{account_id}/touchpoints", json={"kind": "call", "summary": "Renewal check-in"}),
    ),
    ("PUT", "/api/v1/accounts/{account_id}/team"): (
        TEAM,
        fixed("/api/v1/accounts/{account_id}/team", json={"members": []}),
    ),
    ("POST", "/api/v1/alerts/{alert_id}/ack"): (ACCOUNT, on_alert("ack")),
    ("POST", "/api/v1/alerts/{alert_id}/snooze"): (
        ACCOUNT,
        on_alert("snooze", json={"until": (datetime.now(UTC) + timedelta(days=3)).isoformat()}),
    ),
    ("POST", "/api/v1/alerts/{alert_id}/resolve"): (ACCOUNT, on_alert("resolve", json={"reason": "called them"})),
    ("POST", "/api/v1/tasks"): (ACCOUNT, _new_task),
    ("PATCH", "/api/v1/tasks/{task_id}"): (ACCOUNT, _task),
    ("PATCH", "/api/v1/renewals/{renewal_id}"): (ACCOUNT, _renewal),
    ("POST", "/api/v1/playbooks/{playbook_id}/runs"): (ACCOUNT, _start),
    ("POST", "/api/v1/playbooks/runs/{run_id}/complete"): (ACCOUNT, _complete),
    ("POST", "/api/v1/analytics/feedback"): (ACCOUNT, _new_feedback),
    ("PATCH", "/api/v1/analytics/feedback/{feedback_id}"): (ACCOUNT, _feedback),
    # -- reads over POST, and what is each user's own -----------------------------------------
    ("POST", "/api/v1/playbooks/preview"): (READ, _draft_preview),
    ("POST", "/api/v1/playbooks/{playbook_id}/preview"): (READ, _preview),
    ("POST", "/api/v1/views"): (READ, fixed("/api/v1/views", **INVALID)),
    ("PATCH", "/api/v1/views/{view_id}"): (READ, fixed(f"/api/v1/views/{MISSING}", json={"name": "Mine"})),
    ("DELETE", "/api/v1/views/{view_id}"): (READ, fixed(f"/api/v1/views/{MISSING}")),
    ("POST", "/api/v1/auth/logout"): (READ, fixed("/api/v1/auth/logout")),
    ("POST", "/graphql"): (READ, fixed("/graphql", json={"query": "{ viewer { role } }"})),
    # -- how the team works -------------------------------------------------------------------
    ("POST", "/api/v1/playbooks"): (LEAD, fixed("/api/v1/playbooks", **INVALID)),
    ("PATCH", "/api/v1/playbooks/{playbook_id}"): (LEAD, fixed(f"/api/v1/playbooks/{MISSING}", json={"name": "X"})),
    ("POST", "/api/v1/accounts/reassign"): (LEAD, _reassign),
    # -- configuration, people, keys, identity ------------------------------------------------
    ("POST", "/api/v1/users"): (ADMIN, fixed("/api/v1/users", **INVALID)),
    ("PATCH", "/api/v1/users/{user_id}"): (ADMIN, fixed(f"/api/v1/users/{MISSING}", **INVALID)),
    ("POST", "/api/v1/api-keys"): (ADMIN, fixed("/api/v1/api-keys", **INVALID)),
    ("DELETE", "/api/v1/api-keys/{key_id}"): (ADMIN, fixed(f"/api/v1/api-keys/{MISSING}")),
    ("POST", "/api/v1/accounts/{account_id}/aliases"): (
        ADMIN,
        fixed("/api/v1/accounts/{account_id}/aliases", **INVALID),
    ),
    ("DELETE", "/api/v1/accounts/{account_id}/aliases/{alias_id}"): (
        ADMIN,
        fixed(f"/api/v1/accounts/{{account_id}}/aliases/{MISSING}"),
    ),
    ("POST", "/api/v1/unmatched/{record_id}/link"): (ADMIN, fixed(f"/api/v1/unmatched/{MISSING}/link", **INVALID)),
    ("POST", "/api/v1/fx-rates"): (ADMIN, fixed("/api/v1/fx-rates", **INVALID)),
    ("POST", "/api/v1/notifications/channels"): (ADMIN, fixed("/api/v1/notifications/channels", **INVALID)),
    ("DELETE", "/api/v1/notifications/channels/{channel_id}"): (
        ADMIN,
        fixed(f"/api/v1/notifications/channels/{MISSING}"),
    ),
    ("POST", "/api/v1/notifications/deliveries/{delivery_id}/retry"): (
        ADMIN,
        fixed(f"/api/v1/notifications/deliveries/{MISSING}/retry"),
    ),
    ("POST", "/api/v1/notifications/test"): (ADMIN, fixed("/api/v1/notifications/test", params={"event": "nope"})),
    # anyone sends themself a test digest (a channel: the service asks for an admin or leader)
    ("POST", "/api/v1/digest/test"): (READ, fixed("/api/v1/digest/test", **INVALID)),
    ("POST", "/api/v1/scoring/config/versions"): (ADMIN, fixed("/api/v1/scoring/config/versions", **INVALID)),
    ("POST", "/api/v1/scoring/config/versions/import"): (
        ADMIN,
        fixed("/api/v1/scoring/config/versions/import", content=b"weights: [", headers={"Content-Type": "text/yaml"}),
    ),
    ("POST", "/api/v1/scoring/config/versions/{version}/activate"): (
        ADMIN,
        fixed("/api/v1/scoring/config/versions/2147483647/activate"),
    ),
    ("POST", "/api/v1/scoring/config/preview"): (ADMIN, fixed("/api/v1/scoring/config/preview", **INVALID)),
    ("POST", "/api/v1/scoring/runs"): (ADMIN, fixed("/api/v1/scoring/runs", **INVALID)),
    ("POST", "/api/v1/scoring/calibration"): (ADMIN, fixed("/api/v1/scoring/calibration")),
    # embedding: users issue tokens as admins only (API keys with the embed scope: tests/embed)
    ("POST", "/api/v1/embed-tokens"): (ADMIN, _embed_token),
    ("DELETE", "/api/v1/embed-tokens/{jti}"): (ADMIN, fixed(f"/api/v1/embed-tokens/{MISSING}")),
    ("POST", "/api/v1/embed-configurations"): (ADMIN, fixed("/api/v1/embed-configurations", **INVALID)),
    ("PATCH", "/api/v1/embed-configurations/{configuration_id}"): (
        ADMIN,
        fixed(f"/api/v1/embed-configurations/{MISSING}", json={"status": "paused"}),
    ),
    ("POST", "/api/v1/embed-keys/rotate"): (ADMIN, fixed("/api/v1/embed-keys/rotate")),
    # the admin console: data sources and the feature catalogue
    ("PATCH", "/api/v1/sources/{key}"): (ADMIN, fixed("/api/v1/sources/no-such-source", json={"stale_after_days": 7})),
    ("POST", "/api/v1/features"): (ADMIN, fixed("/api/v1/features", **INVALID)),
    ("PATCH", "/api/v1/features/{feature_id}"): (ADMIN, fixed("/api/v1/features/32767", json={"is_core": True})),
    ("POST", "/api/v1/features/preview"): (ADMIN, fixed("/api/v1/features/preview", **INVALID)),
    # -- pushing signals ------------------------------------------------------------------------
    **{
        ("POST", f"/api/v1/ingest/{kind}"): (INGEST, fixed(f"/api/v1/ingest/{kind}", json={"items": []}))
        for kind in INGEST_KINDS
    },
    ("POST", "/api/v1/ingest/{kind}"): (INGEST, fixed("/api/v1/ingest/no-such-kind", json={"items": []})),
    ("POST", "/api/v1/import/detect"): (INGEST, fixed("/api/v1/import/detect", **INVALID)),
    ("POST", "/api/v1/import/{kind}"): (INGEST, fixed("/api/v1/import/accounts", **INVALID)),
    ("POST", "/api/v1/import/{kind}/preview"): (INGEST, fixed("/api/v1/import/accounts/preview", **INVALID)),
    # -- not bearer-authenticated ---------------------------------------------------------------
    ("POST", "/api/v1/auth/login"): (OUTSIDE, fixed("/api/v1/auth/login", json={"email": "x@y.z", "password": "no"})),
    ("POST", "/api/v1/webhooks/stripe"): (OUTSIDE, fixed("/api/v1/webhooks/stripe", json={"type": "ping"})),
    **{("POST", f"/segment/v1/{name}"): (OUTSIDE, fixed(f"/segment/v1/{name}", **SEGMENT)) for name in SEGMENT_CALLS},
}


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, through included routers (FastAPI resolves them lazily)."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from _routes(route.effective_candidates())
        else:
            yield route


def write_routes() -> set[tuple[str, str]]:
    app = create_app(spa_dist=None)
    return {
        (method, route.path)
        for route in _routes(list(app.routes))
        for method in (getattr(route, "methods", None) or set()) & WRITE_METHODS
    }


def test_every_write_route_is_classified():
    found = write_routes()
    assert len(found) >= 60
    unclassified = sorted(found - ROUTES.keys())
    assert not unclassified, f"write routes without an access decision in ROUTES: {unclassified}"
    stale = sorted(ROUTES.keys() - found)
    assert not stale, f"ROUTES lists routes the app no longer has: {stale}"


def allowed(policy: str, role: Role, relation: str | None) -> bool:
    if policy == READ:
        return True
    if policy in {LEAD, ACCOUNT, TEAM} and role in {Role.admin, Role.leader}:
        return True
    if policy == ACCOUNT:
        return role == Role.csm and relation in {"owner", "team"}
    if policy == TEAM:
        return role == Role.csm and relation == "owner"
    return role == Role.admin  # ADMIN, INGEST, and LEAD for the rest


PASSED = {404, 409, 422}


async def test_the_matrix(client: httpx.AsyncClient, session: AsyncSession):
    await playbooks.ensure_library(session)
    someone = await make_user(session, role=Role.csm, password=None)
    callers: dict[Role, tuple[User, dict[str, str]]] = {}
    for role in ROLES:
        user = await make_user(session, role=role)
        token, _, _ = await auth_service.login(session, user.email, "correct-horse")
        callers[role] = (user, {"Authorization": f"Bearer {token}"})
    await session.flush()

    cells = 0
    failures: list[str] = []
    for (method, _path), (policy, build) in sorted(ROUTES.items(), key=lambda r: r[0][1] == "/api/v1/auth/logout"):
        for role in ROLES:
            user, headers = callers[role]
            if _path == "/api/v1/auth/logout":  # a session of its own to end
                token, _, _ = await auth_service.login(session, user.email, "correct-horse")
                headers = {"Authorization": f"Bearer {token}"}
            for relation in RELATIONS if policy in ACCOUNT_SCOPED else (None,):
                owner = user.id if relation == "owner" else someone.id
                account = await make_account(session, owner_id=owner)
                if relation == "team":
                    session.add(AccountTeamMember(account_id=account.id, user_id=user.id, role="Second CSM"))
                    await session.flush()
                cell = Cell(session, role, user, account.id, relation)
                path, kwargs = await build(cell)
                kwargs = {**kwargs, "headers": {**headers, **kwargs.get("headers", {})}}
                response = await client.request(method, path, **kwargs)
                cells += 1
                where = f"{method} {_path} as {role.value} ({relation or '-'}): {response.status_code} {response.text[:200]}"
                code = response.status_code
                if policy == OUTSIDE:
                    if 200 <= code < 300 or code == 403:
                        failures.append(f"a bearer token did something: {where}")
                elif allowed(policy, role, relation):
                    if not (200 <= code < 300 or code in PASSED):
                        failures.append(f"expected to pass the policy: {where}")
                elif code != 403:
                    failures.append(f"expected 403: {where}")
                elif policy == ACCOUNT and role == Role.csm and response.json()["detail"] != NOT_YOURS:
                    failures.append(f"unexpected 403 detail: {where}")
    assert not failures, "\n".join(failures)
    accounted = sum(len(ROLES) * (len(RELATIONS) if policy in ACCOUNT_SCOPED else 1) for policy, _ in ROUTES.values())
    assert cells == accounted


@pytest.mark.parametrize("role", [Role.admin, Role.leader, Role.csm, Role.product, Role.viewer])
def test_the_table_decides_for_every_role(role: Role):
    """Sanity of ``allowed``: the policy table in words."""
    assert allowed(ACCOUNT, role, "owner") == (role in {Role.admin, Role.leader, Role.csm})
    assert allowed(ACCOUNT, role, "other") == (role in {Role.admin, Role.leader})
    assert allowed(TEAM, role, "team") == (role in {Role.admin, Role.leader})
    assert allowed(INGEST, role, None) == (role == Role.admin)
