"""The feature catalogue: usage per feature, edits checked (plans that exist, patterns both
Python and PostgreSQL accept), a pattern applying to the next events only, the preview, and
core features moving feature adoption at the next scoring."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditLog
from app.core.enums import Role
from app.flows import scoring_pass
from app.scoring import service as scoring
from app.usage.models import Feature, UsageDaily, UsageEvent, UsageUserActivity
from tests.factories import bearer, make_account
from tests.scoring.test_components import days

D = date(2026, 6, 15)


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def catalogue(session):
    """Three features of the test's own (the table holds only the unattributed bucket besides)."""
    f1 = Feature(key="t-reports", name="Reports", is_core=True, plans=[], event_pattern=r"^report\.")
    f2 = Feature(key="t-exports", name="Exports", is_core=False, plans=[], event_pattern=r"^export\.")
    f3 = Feature(key="t-extra", name="Extra", is_core=False, plans=[])
    session.add_all([f1, f2, f3])
    await session.flush()
    return f1, f2, f3


def event(n: int, account: str, name: str, hours_ago: float = 1) -> dict:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    return {"id": f"cat-{n}", "account": account, "user_id": f"u{n % 2}", "event": name, "timestamp": at.isoformat()}


async def send(client, admin, *items):
    r = await client.post("/api/v1/ingest/events", json={"items": list(items)}, headers=admin)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_catalogue_with_last_30_days_of_usage(client, session, admin):
    await catalogue(session)
    await make_account(session, external_id="cat-a", plan="Growth")
    await make_account(session, external_id="cat-b", plan="Starter")
    await make_account(session, external_id="cat-c", plan=None)
    await send(
        client,
        admin,
        event(1, "cat-a", "report.viewed"),
        event(2, "cat-a", "report.viewed"),
        event(3, "cat-b", "report.viewed"),
        event(4, "cat-b", "export.csv"),
        event(5, "cat-b", "export.csv"),
        event(6, "cat-a", "share.link"),
        event(7, "cat-a", "report.viewed", hours_ago=24 * 31),  # before the window
    )
    r = await client.get("/api/v1/features", headers=await bearer(session, Role.viewer))
    assert r.status_code == 200
    body = r.json()
    assert [(f["key"], f["is_core"], f["events_30d"], f["accounts_30d"]) for f in body["items"]] == [
        ("t-reports", True, 3, 2),
        ("t-exports", False, 2, 1),
        ("t-extra", False, 0, 0),
    ]
    assert body["items"][0]["event_pattern"] == r"^report\."
    assert body["plans"] == ["Growth", "Starter"]
    assert date.fromisoformat(body["until"]) - date.fromisoformat(body["since"]) == timedelta(days=29)


async def test_edits_are_checked_and_audited(client, session, admin):
    *_, f3 = await catalogue(session)
    await make_account(session, plan="Growth")
    await make_account(session, plan="Enterprise")

    async def patch(body):
        return await client.patch(f"/api/v1/features/{f3.id}", json=body, headers=admin)

    unknown = await patch({"plans": ["Growth", "Platinum", "Gold"]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"loc": ["body", "plans"], "msg": "no account has the plan Platinum, Gold (accounts have: Enterprise, Growth)"}
    ]
    python_refuses = await patch({"event_pattern": "^(report"})
    assert python_refuses.status_code == 422
    assert python_refuses.json()["errors"][0]["loc"] == ["body", "event_pattern"]
    assert python_refuses.json()["errors"][0]["msg"].startswith("not a valid regular expression: missing )")
    postgres_refuses = await patch({"event_pattern": r"^(?P<area>report)\."})  # Python's named groups only
    assert postgres_refuses.status_code == 422
    assert postgres_refuses.json()["errors"][0]["msg"].startswith("PostgreSQL cannot use this pattern: ")
    too_long = await patch({"event_pattern": "a" * 201})
    assert (too_long.status_code, too_long.json()["errors"][0]["loc"]) == (422, ["body", "event_pattern"])
    assert (await patch({"is_core": None})).status_code == 422
    assert (await client.patch("/api/v1/features/0", json={"name": "X"}, headers=admin)).status_code == 404
    assert (await client.patch("/api/v1/features/32000", json={"name": "X"}, headers=admin)).status_code == 404

    ok = await patch({"name": "Extras", "is_core": True, "plans": ["Growth", "Growth"], "event_pattern": r"^extra\."})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert (body["name"], body["is_core"], body["plans"], body["event_pattern"]) == (
        "Extras",
        True,
        ["Growth"],
        r"^extra\.",
    )
    cleared = await patch({"event_pattern": ""})
    assert cleared.json()["event_pattern"] is None
    details = (
        (
            await session.execute(
                select(AuditLog.detail).where(AuditLog.action == "feature.update").order_by(AuditLog.id)
            )
        )
        .scalars()
        .all()
    )
    assert details == [
        {
            "key": "t-extra",
            "name": {"from": "Extra", "to": "Extras"},
            "is_core": {"from": False, "to": True},
            "plans": {"from": [], "to": ["Growth"]},
            "event_pattern": {"from": None, "to": r"^extra\."},
        },
        {"key": "t-extra", "event_pattern": {"from": r"^extra\.", "to": None}},
    ]

    created = await client.post(
        "/api/v1/features",
        json={"key": "t-sso", "name": "SSO", "is_core": False, "plans": ["Enterprise"], "event_pattern": r"^sso\."},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert (created.json()["key"], created.json()["plans"], created.json()["events_30d"]) == (
        "t-sso",
        ["Enterprise"],
        0,
    )
    again = await client.post("/api/v1/features", json={"key": "t-sso", "name": "SSO"}, headers=admin)
    assert again.status_code == 409
    bad_key = await client.post("/api/v1/features", json={"key": "Has Spaces", "name": "X"}, headers=admin)
    assert (bad_key.status_code, bad_key.json()["errors"][0]["loc"]) == (422, ["body", "key"])
    assert (
        await client.patch(
            f"/api/v1/features/{f3.id}", json={"is_core": False}, headers=await bearer(session, Role.leader)
        )
    ).status_code == 403


async def test_a_new_pattern_counts_the_next_events_and_leaves_stored_ones(client, session, admin):
    *_, f3 = await catalogue(session)
    await make_account(session, external_id="cat-a")
    await send(client, admin, event(1, "cat-a", "download.pdf"))
    changed = await client.patch(f"/api/v1/features/{f3.id}", json={"event_pattern": r"^download\."}, headers=admin)
    assert changed.status_code == 200
    await send(client, admin, event(2, "cat-a", "download.csv"))
    stored = dict(
        (await session.execute(select(UsageEvent.event_id, UsageEvent.feature_id).order_by(UsageEvent.event_id))).all()
    )
    assert stored == {"cat-1": 0, "cat-2": f3.id}


async def test_the_preview_shows_what_a_pattern_takes(client, session, admin):
    f1, f2, f3 = await catalogue(session)
    await make_account(session, external_id="cat-a")
    await send(
        client,
        admin,
        *[event(n, "cat-a", "report.viewed") for n in range(1, 4)],
        *[event(n, "cat-a", "export.csv") for n in range(4, 6)],
        event(6, "cat-a", "share.link"),
        event(7, "cat-a", "share.old", hours_ago=24 * 31),  # before the window: not listed
    )

    async def preview(pattern, feature_id=None):
        body = {"event_pattern": pattern} | ({"feature_id": feature_id} if feature_id is not None else {})
        r = await client.post("/api/v1/features/preview", json=body, headers=admin)
        assert r.status_code == 200, r.text
        return r.json()

    def rows(items):
        return [
            (m["event"], m["events"], m["now"] and m["now"]["key"], m["after"] and m["after"]["key"]) for m in items
        ]

    extra = await preview(r"^(report|share)\.|csv$", f3.id)
    assert (extra["matched_names"], extra["matched_events"], extra["names_scanned"]) == (3, 6, 3)
    assert rows(extra["matches"]) == [
        ("report.viewed", 3, "t-reports", "t-reports"),  # an earlier feature's pattern matches first
        ("export.csv", 2, "t-exports", "t-exports"),
        ("share.link", 1, None, "t-extra"),
    ]
    assert rows(extra["taken"]) == [("share.link", 1, None, "t-extra")]
    assert [m["event"] for m in extra["kept_by_others"]] == ["report.viewed", "export.csv"]
    assert extra["released"] == []

    # the reports feature narrowed to dashboards gives report.viewed up; a later feature takes exports from
    # nobody, as exports keeps them
    narrowed = await preview(r"^dashboard\.", f1.id)
    assert (narrowed["matched_names"], narrowed["matches"]) == (0, [])
    assert rows(narrowed["released"]) == [("report.viewed", 3, "t-reports", None)]
    widened = await preview(r"^(report|export)\.", f2.id)
    assert rows(widened["taken"]) == []
    assert rows(widened["kept_by_others"]) == [("report.viewed", 3, "t-reports", "t-reports")]
    brand_new = await preview(r"^share\.")
    assert rows(brand_new["taken"]) == [("share.link", 1, None, "(new)")]

    refused = await client.post("/api/v1/features/preview", json={"event_pattern": "(("}, headers=admin)
    assert (refused.status_code, refused.json()["errors"][0]["loc"]) == (422, ["body", "event_pattern"])
    missing = await client.post(
        "/api/v1/features/preview", json={"event_pattern": "x", "feature_id": 32000}, headers=admin
    )
    assert (missing.status_code, missing.json()["errors"][0]["loc"]) == (422, ["body", "feature_id"])


async def adoption(client, admin, account_id) -> float:
    r = await client.get(f"/api/v1/accounts/{account_id}/health", params={"as_of": D.isoformat()}, headers=admin)
    assert r.status_code == 200, r.text
    usage = next(c for c in r.json()["components"] if c["name"] == "usage")
    return next(m["raw"] for m in usage["sub_metrics"] if m["name"] == "feature_adoption")


async def test_making_a_feature_core_moves_adoption_at_the_next_scoring(client, session, admin):
    # Growth account; core: reports (used) and a core feature it does not use; extra (used) is not core
    f1, f2, f3 = await catalogue(session)
    f2.is_core = True
    a = await make_account(session, plan="Growth", seats_purchased=5)
    session.add_all(
        [
            UsageDaily(account_id=a.id, day=date(2026, 6, 10), feature_id=f1.id, events=4, active_users=1),
            UsageDaily(account_id=a.id, day=date(2026, 6, 12), feature_id=f3.id, events=2, active_users=1),
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=1, active_days=days(10, 12)),
        ]
    )
    await session.flush()
    config = await scoring.load_active(session)
    await scoring_pass.score(session, [a.id], [D], config)
    assert await adoption(client, admin, a.id) == 0.5  # 1 of the 2 core features

    made_core = await client.patch(f"/api/v1/features/{f3.id}", json={"is_core": True}, headers=admin)
    assert made_core.status_code == 200
    assert await adoption(client, admin, a.id) == 0.5  # nothing moves until the account is scored again
    await scoring_pass.score(session, [a.id], [D], await scoring.load_active(session))
    assert await adoption(client, admin, a.id) == pytest.approx(2 / 3)  # reports and extra of 3

    # a core feature on another plan only is not available to a Growth account
    await make_account(session, plan="Enterprise")
    on_enterprise = await client.patch(f"/api/v1/features/{f2.id}", json={"plans": ["Enterprise"]}, headers=admin)
    assert on_enterprise.status_code == 200
    await scoring_pass.score(session, [a.id], [D], await scoring.load_active(session))
    assert await adoption(client, admin, a.id) == 1.0  # reports and extra of 2
    # and the book's column, which filters and sorts on it, follows
    stored = (
        await session.execute(text("SELECT feature_adoption FROM account_health WHERE account_id = :id"), {"id": a.id})
    ).scalar()
    assert stored == 1.0
