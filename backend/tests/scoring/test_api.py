"""The scoring and quadrant API over real scores: pinned names, config versions, preview,
activation, history, explain, quadrant views and validation on hand-built books."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import yaml

from app.core.enums import Role
from app.flows import scoring_pass
from app.renewals.models import Renewal
from app.scoring import service
from app.scoring.models import HealthSnapshot
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.usage.models import UsageDaily, UsageUserActivity
from tests.factories import bearer, make_account
from tests.scoring.test_components import at, days

D1, D2 = date(2026, 6, 1), date(2026, 6, 15)


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def scored_account(session):
    """Two dates: on D2 an NPS of 3 and an urgent ticket pull health down."""
    a = await make_account(session, seats_purchased=4, name="Acme")
    session.add_all(
        [
            UsageDaily(account_id=a.id, day=date(2026, 5, 20), feature_id=0, events=5, active_users=1, minutes=30),
            UsageUserActivity(account_id=a.id, month=date(2026, 5, 1), user_hash=1, active_days=days(*range(5, 32))),
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=1, active_days=days(*range(1, 16))),
            SurveyResponse(source_id=f"{a.id}-n1", account_id=a.id, kind="nps", score=9, responded_at=at(2026, 5, 20)),
            SurveyResponse(source_id=f"{a.id}-n2", account_id=a.id, kind="nps", score=3, responded_at=at(2026, 6, 10)),
            Ticket(source_id=f"{a.id}-t1", account_id=a.id, priority=1, opened_at=at(2026, 6, 10)),
        ]
    )
    await session.flush()
    config = await service.load_active(session)
    await scoring_pass.score(session, [a.id], [D1, D2], config)
    return a


async def test_health_carries_the_pinned_names(client, session, admin):
    a = await scored_account(session)
    r = await client.get(f"/api/v1/accounts/{a.id}/health", params={"as_of": D2.isoformat()}, headers=admin)
    assert r.status_code == 200, r.text
    h = r.json()
    for key in ("health_score", "components", "usage_axis", "health_axis", "quadrant", "coverage"):
        assert key in h
    active = (await service.load_active(session)).version  # numbered by a sequence
    assert (h["as_of"], h["stored"], h["config_version"]) == ("2026-06-15", True, active)
    comps = {c["name"]: c for c in h["components"]}
    assert list(comps) == ["usage", "support", "sentiment", "relationship", "commercial"]
    usage = comps["usage"]
    assert [m["name"] for m in usage["sub_metrics"]] == [
        "login_frequency",
        "feature_adoption",
        "time_in_platform",
        "user_growth",
    ]
    login = usage["sub_metrics"][0]
    # user 1 active every day of the window (May 19 - June 15: 28 user-days = 30 per 30 days), 4 seats
    assert (login["raw"], login["score"], login["weight"]) == (7.5, 55.0, 0.3)
    assert usage["weight"] == 0.35
    nps = next(m for m in comps["sentiment"]["sub_metrics"] if m["name"] == "nps")
    assert (nps["raw"], nps["score"]) == (6.0, 40.0)  # two anonymous respondents: (9 + 3) / 2
    # the latest stored snapshot when no date is given
    latest = (await client.get(f"/api/v1/accounts/{a.id}/health", headers=admin)).json()
    assert latest["as_of"] == "2026-06-15"
    # a date without a snapshot is computed on request, point in time
    live = (await client.get(f"/api/v1/accounts/{a.id}/health", params={"as_of": "2026-06-05"}, headers=admin)).json()
    assert (live["stored"], live["as_of"]) == (False, "2026-06-05")
    assert next(m for m in live["components"][2]["sub_metrics"] if m["name"] == "nps")["raw"] == 9.0


async def test_unknown_account_and_bad_date_are_clear_errors(client, session, admin):
    r = await client.get("/api/v1/accounts/00000000-0000-0000-0000-000000000000/health", headers=admin)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    a = await make_account(session)
    r = await client.get(f"/api/v1/accounts/{a.id}/health", params={"as_of": "2026-02-30"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "as_of"]


async def test_history_and_explain(client, session, admin):
    a = await scored_account(session)
    hist = (
        await client.get(
            f"/api/v1/accounts/{a.id}/health/history", params={"from": "2026-05-01", "to": "2026-06-30"}, headers=admin
        )
    ).json()
    assert [p["as_of"] for p in hist["points"]] == ["2026-06-01", "2026-06-15"]
    assert hist["config_markers"] == []
    r = await client.get(
        f"/api/v1/accounts/{a.id}/health/explain", params={"from": "2026-06-01", "to": "2026-06-15"}, headers=admin
    )
    assert r.status_code == 200, r.text
    ex = r.json()
    assert ex["delta"] == pytest.approx(ex["health_to"] - ex["health_from"])
    assert sum(c["contribution"] for c in ex["components"]) == pytest.approx(ex["delta"])
    assert ex["components"][0]["name"] in ("sentiment", "support")
    # two anonymous answers are two respondents: NPS (9 + 3) / 2 = 6 on D2
    assert "sentiment \u2212" in ex["sentence"] and "(NPS 9 → 6)" in ex["sentence"]
    assert "support \u2212" in ex["sentence"]


async def test_config_versions_validation_yaml_activation_and_roles(client, session, admin):
    active = (await client.get("/api/v1/scoring/config", headers=admin)).json()
    v1 = active["version"]  # version numbers come from a sequence: relative to the first
    assert active["is_active"] is True
    body = active["body"]
    assert body["components"]["usage"]["metrics"]["login_frequency"]["curve"] == [[0, 0], [5, 40], [10, 70], [20, 100]]

    bad = {**body, "components": {**body["components"]}}
    bad["components"]["usage"] = {
        **body["components"]["usage"],
        "metrics": {
            **body["components"]["usage"]["metrics"],
            "login_frequency": {"weight": 0.3, "curve": [[5, 0], [1, 100]]},
        },
    }
    r = await client.post("/api/v1/scoring/config/versions", json={"name": "broken", "body": bad}, headers=admin)
    assert r.status_code == 422
    err = r.json()["errors"][0]
    assert err["loc"][-5:] == ["components", "usage", "metrics", "login_frequency", "curve"]
    assert "strictly increasing" in err["msg"]

    unknown = {**body, "components": {**body["components"], "vibes": {"weight": 1, "metrics": {}}}}
    r = await client.post("/api/v1/scoring/config/versions", json={"body": unknown}, headers=admin)
    assert r.status_code == 422 and "unknown component 'vibes'" in r.text

    heavier = yaml.safe_load(yaml.safe_dump(body))
    heavier["components"]["usage"]["weight"] = 0.6
    r = await client.post(
        "/api/v1/scoring/config/versions", json={"name": "usage-heavy", "body": heavier}, headers=admin
    )
    assert r.status_code == 201, r.text
    assert (r.json()["version"], r.json()["is_active"]) == (v1 + 1, False)

    exported = await client.get(f"/api/v1/scoring/config/versions/{v1 + 1}", params={"format": "yaml"}, headers=admin)
    assert exported.headers["content-type"].startswith("application/yaml")
    assert "name: usage-heavy" in exported.text
    imported = await client.post(
        "/api/v1/scoring/config/versions/import",
        content=exported.text.encode(),
        headers={**admin, "Content-Type": "application/yaml"},
    )
    assert imported.status_code == 201, imported.text
    assert (imported.json()["version"], imported.json()["name"]) == (v1 + 2, "usage-heavy")
    assert imported.json()["body"] == r.json()["body"]
    r = await client.post(
        "/api/v1/scoring/config/versions/import",
        content=b"components: [",
        headers={**admin, "Content-Type": "application/yaml"},
    )
    assert r.status_code == 422 and "YAML could not be parsed" in r.text

    csm = await bearer(session, Role.csm)
    assert (await client.post(f"/api/v1/scoring/config/versions/{v1 + 2}/activate", headers=csm)).status_code == 403
    r = await client.post(f"/api/v1/scoring/config/versions/{v1 + 2}/activate", headers=admin)
    assert r.status_code == 200, r.text
    run = (await client.get(f"/api/v1/scoring/runs/{r.json()['run_id']}", headers=csm)).json()
    assert (run["kind"], run["config_version"], run["status"]) == ("daily", v1 + 2, "queued")
    versions = (await client.get("/api/v1/scoring/config/versions", headers=csm)).json()
    assert [(v["version"], v["is_active"]) for v in versions] == [(v1 + 2, True), (v1 + 1, False), (v1, False)]


async def snap(session, account, day, usage, health, quadrant=None, arr=1000.0):
    import numpy as np

    from app.core.enums import Quadrant
    from app.scoring.config import default_body
    from app.scoring.engine import quadrants

    q = quadrant or quadrants(np.array([usage]), np.array([health]), default_body().quadrant, [None])[0].value
    row = HealthSnapshot(
        account_id=account.id,
        as_of=day,
        config_version=(await service.load_active(session)).version,
        usage_score=usage,
        usage_axis=usage,
        health_axis=health,
        health_score=(usage + health) / 2,
        band="watch",
        quadrant=q,
        coverage=1.0,
        arr=arr,
        inputs={},
    )
    session.add(row)
    return Quadrant(q)


async def test_preview_counts_what_a_config_would_change(client, session, admin):
    a = await scored_account(session)
    b = await make_account(session, seats_purchased=100, signup_date=D1)  # a customer since D1 (no lines)
    config = await service.load_active(session)
    await scoring_pass.score(session, [b.id], [D2], config)
    current = (await client.get("/api/v1/scoring/config", headers=admin)).json()["body"]
    same = await client.post("/api/v1/scoring/config/preview", json={"body": current}, headers=admin)
    assert same.status_code == 200, same.text
    assert (same.json()["accounts"], same.json()["quadrant_changes"], same.json()["band_changes"]) == (2, 0, 0)
    strict = yaml.safe_load(yaml.safe_dump(current))
    strict["bands"] = {"healthy": 100, "watch": 100}  # nobody is healthy or watch any more
    out = (await client.post("/api/v1/scoring/config/preview", json={"body": strict}, headers=admin)).json()
    before = {c["account_id"]: c["band_before"] for c in out["largest_changes"]}
    expected = sum(1 for band in before.values() if band != "at_risk")
    assert out["band_changes"] == expected
    assert out["summary"] == f"0 of 2 accounts change quadrant, {expected} change band"
    assert str(a.id) in before


async def test_quadrant_views(client, session, admin):
    a, b, c = [await make_account(session, name=n) for n in ("A", "B", "C")]
    await snap(session, a, D1, 80, 80, arr=100)
    await snap(session, b, D1, 80, 30, arr=200)
    await snap(session, a, D2, 30, 80, arr=100)  # champions → relationship_dependent
    await snap(session, b, D2, 80, 30, arr=250)
    await snap(session, c, D2, 20, 20, arr=50)  # new on D2
    session.add_all(
        [
            _move(a, D2, "champions", "relationship_dependent"),
        ]
    )
    await session.flush()
    view = (await client.get("/api/v1/quadrants", headers=admin)).json()
    assert view["as_of"] == "2026-06-15"
    assert {s["quadrant"]: (s["accounts"], s["arr"]) for s in view["summary"]} == {
        "champions": (0, 0),
        "frustrated_power_users": (1, 250),
        "relationship_dependent": (1, 100),
        "churn_risk": (1, 50),
    }
    assert [p["name"] for p in view["points"]] == ["B", "A", "C"]  # by ARR
    earlier = (await client.get("/api/v1/quadrants", params={"as_of": "2026-06-10"}, headers=admin)).json()
    assert earlier["as_of"] == "2026-06-01"

    hist = (
        await client.get(
            "/api/v1/quadrants/history",
            params={"from": "2026-05-01", "to": "2026-06-30", "interval": "day"},
            headers=admin,
        )
    ).json()
    assert [(p["as_of"], p["counts"]["champions"], p["arr"]["frustrated_power_users"]) for p in hist["series"]] == [
        ("2026-06-01", 1, 200),
        ("2026-06-15", 0, 250),
    ]

    moves = (
        await client.get(
            "/api/v1/quadrants/moves", params={"since": "2026-06-01", "until": "2026-06-30"}, headers=admin
        )
    ).json()
    assert moves["total"] == 1
    assert (moves["items"][0]["name"], moves["items"][0]["direction"]) == ("A", "worse")
    better = (
        await client.get(
            "/api/v1/quadrants/moves",
            params={"since": "2026-06-01", "until": "2026-06-30", "direction": "better"},
            headers=admin,
        )
    ).json()
    assert better["total"] == 0

    matrix = (
        await client.get(
            "/api/v1/quadrants/transitions", params={"from": "2026-06-01", "to": "2026-06-15"}, headers=admin
        )
    ).json()
    cells = {(c["from_quadrant"], c["to_quadrant"]): (c["accounts"], c["arr"]) for c in matrix["cells"]}
    assert cells == {
        (None, "churn_risk"): (1, 50),
        ("champions", "relationship_dependent"): (1, 100),
        ("frustrated_power_users", "frustrated_power_users"): (1, 250),
    }


def _move(account, day, a, b):
    from app.scoring.models import QuadrantMove

    return QuadrantMove(account_id=account.id, moved_on=day, from_quadrant=a, to_quadrant=b)


async def test_validation_auc_and_buckets_hand_worked(client, session, admin):
    """Four renewals, health 90 days before: retained 80 and 60, churned 70 and 40.
    Of the 4 retained-churned pairs the retained account scored higher in 3: AUC 0.75."""
    today = service.today()
    cases = [(80, False), (60, False), (70, True), (40, True)]
    for i, (health, churned) in enumerate(cases):
        acc = await make_account(session, name=f"V{i}")
        event = today - timedelta(days=10 + i)
        session.add(
            Renewal(
                account_id=acc.id,
                renewal_date=event,
                arr_up_for_renewal=Decimal(1000),
                outcome="churned" if churned else "renewed",
            )
        )
        # usage = health axis = health, so health_score = health
        await snap(session, acc, event - timedelta(days=95), health, health)
    await session.flush()
    r = await client.get("/api/v1/scoring/validation", params={"horizon_days": 90}, headers=admin)
    assert r.status_code == 200, r.text
    v = r.json()
    assert (v["outcomes"], v["churned"], v["renewed"]) == (4, 2, 2)
    assert v["auc"]["health_score"] == pytest.approx(0.75)
    assert v["auc"]["usage"] == pytest.approx(0.75)
    assert v["auc"]["support"] is None  # no support scores at all
    quads = {b["label"]: (b["outcomes"], b["churned"], b["ratio_to_champions"]) for b in v["by_quadrant"]}
    # 80 → champions (retained); 60 → champions (retained); 70 → champions (churned); 40 → churn risk (churned)
    assert quads["champions"] == (3, 1, 1.0)
    assert quads["churn_risk"] == (1, 1, 3.0)
    assert v["note"].startswith("Fewer than 20")
    assert (
        await client.get("/api/v1/scoring/validation", params={"horizon_days": 3}, headers=admin)
    ).status_code == 422
