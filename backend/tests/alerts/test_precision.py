"""Alert precision back-tested on hand-built weekly histories.

Dates are counted from END, the last judgeable day (90 days before today); the window of
firings runs from START (END - 365) to END, and what follows a firing is looked for in the 90
days after it. Each history states which rule fires on which snapshot.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.alerts import precision
from app.alerts.rules import AlertThresholds
from app.core.enums import Role
from app.core.models import utcnow
from app.queue import ranking
from app.renewals.models import Renewal
from app.revenue.models import ArrMovement
from app.scoring import repository as scoring_repo
from app.scoring import service as scoring
from app.scoring.config import default_body
from app.scoring.models import HealthSnapshot
from tests.factories import bearer, make_account

QUIET = {"usage": {"user_days": 100, "prev_user_days": 100}}
DECLINING = {"usage": {"user_days": 50, "prev_user_days": 100}}  # usage_decline: -50% (> 40%)
READY = {"usage": {"feature_adoption": 0.8}}  # expansion_ready with health above 80
NOT_READY = {"usage": {"feature_adoption": 0.5}}


@pytest.fixture(autouse=True)
def _no_cached_report():
    precision.clear_cache()
    yield
    precision.clear_cache()


@pytest.fixture
def end() -> date:
    return utcnow().date() - timedelta(days=90)


def weekly(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)]


async def history(session, account, dates, *, health=70.0, inputs=QUIET, special=None) -> None:
    """One snapshot per date, ``health`` and ``inputs`` unless ``special[date]`` says (health, inputs)."""
    version = (await scoring.load_active(session)).version
    for on in dates:
        h, i = (special or {}).get(on, (health, inputs))
        session.add(HealthSnapshot(account_id=account.id, as_of=on, config_version=version, health_score=h, inputs=i))
    await session.flush()


async def movement(session, account, on: date, kind: str) -> None:
    session.add(ArrMovement(account_id=account.id, on=on, kind=kind, amount=Decimal(1000), arr_after=Decimal(0)))
    await session.flush()


def by_rule(report) -> dict[str, dict[str, Any]]:
    return {r.rule: r.model_dump(exclude={"rule"}) for r in report.rules}


async def run(session):
    version, thresholds = await precision.repo.active_thresholds(session)
    return await precision.compute(session, utcnow().date(), version, thresholds)


def never_fired(rule: str) -> dict[str, Any]:
    risk = rule not in precision.OPPORTUNITY_RULES
    return {
        "kind": "risk" if risk else "opportunity",
        "firings": 0,
        "followed": 0,
        "precision": None,
        "churned": 0 if risk else None,
        "contracted": 0 if risk else None,
        "health_dropped": 0 if risk else None,
        "lift": None,
    }


async def test_usage_decline_two_of_three_firings_followed(session, end):
    """A: declines 4 weeks from END-98 (one onset), churns 30 days later. B: declines on END-21
    once; health 70 -> 50 on END+28 (a 20-point drop, in the aftermath). C: declines on END-98
    once; health dips 14 points (not 15), then it falls 30 points and contracts 91 days later
    (one day too late; the fall, on END-7, is a health_drop firing of its own, not followed).
    D: declines 83 days ago (END+7): its 90 days are not over, it is not judged."""
    grid = weekly(end - timedelta(days=140), end + timedelta(days=84))
    f = end - timedelta(days=98)
    a, b, c, d = [await make_account(session) for _ in range(4)]
    await history(session, a, grid, special={f + timedelta(days=7 * k): (70.0, DECLINING) for k in range(4)})
    await movement(session, a, f + timedelta(days=30), "churn")
    await history(
        session,
        b,
        grid,
        special={end - timedelta(days=21): (70.0, DECLINING), end + timedelta(days=28): (50.0, QUIET)},
    )
    await history(
        session,
        c,
        grid,
        special={f: (70.0, DECLINING), f + timedelta(days=14): (56.0, QUIET), f + timedelta(days=91): (40.0, QUIET)},
    )
    await movement(session, c, f + timedelta(days=91), "contraction")
    await history(session, d, grid, special={end + timedelta(days=7): (70.0, DECLINING)})
    await movement(session, d, end + timedelta(days=20), "churn")

    report = await run(session)

    assert (report.window_start, report.window_end, report.follow_days) == (
        end - timedelta(days=365),
        end,
        90,
    )
    # 21 snapshots from END-140 to END on each of the 4 accounts
    assert (report.accounts, report.snapshots, report.health_drop_points) == (4, 84, 15.0)
    rules = by_rule(report)
    assert rules.pop("usage_decline") == {
        "kind": "risk",
        "firings": 3,
        "followed": 2,
        "precision": 0.6667,
        "churned": 1,
        "contracted": 0,
        "health_dropped": 1,
        "lift": 1.3,  # 0.6667 over the base rate below
    }
    # Every snapshot of the window, fired or not, followed within 90 days by a churn,
    # contraction or 15-point drop: A 11 (END-140..END-70, before its churn on END-68),
    # B 9 (END-56..END, before the 50 on END+28), C 12 (END-91..END-14, before the 40 and the
    # contraction on END-7; its 56 on END-84 is 14 below 70, not 15), D 11 (END-70..END, before
    # its churn on END+20): 43 of 84. Nothing expanded.
    assert (report.base_rate_risk, report.base_rate_opportunity) == (0.5119, 0.0)
    assert rules.pop("health_drop") == never_fired("health_drop") | {"firings": 1, "precision": 0.0, "lift": 0.0}
    assert rules == {rule: never_fired(rule) for rule in rules}
    assert list(rules) == [
        "critical_ticket",
        "inactivity",
        "detractor",
        "ticket_surge",
        "quadrant_down",
        "payment_overdue",
        "seat_limit",
        "api_limit",
        "expansion_ready",
        "renewal_30",
        "renewal_60",
        "renewal_90",
    ]


async def test_an_expansion_ready_firing_followed_by_an_expansion(session, end):
    """E: ready on END-49 and END-42 (one onset), expands on END-9. F: ready on its first
    snapshot (END-140: an onset, nothing before it), churns 20 days later, never expands."""
    e, f = await make_account(session), await make_account(session)
    g = end - timedelta(days=49)
    await history(
        session,
        e,
        weekly(end - timedelta(days=140), end + timedelta(days=84)),
        health=85.0,
        inputs=NOT_READY,
        special={g: (85.0, READY), g + timedelta(days=7): (85.0, READY)},
    )
    await movement(session, e, g + timedelta(days=40), "expansion")
    await history(session, f, [end - timedelta(days=140)], health=85.0, inputs=READY)
    await movement(session, f, end - timedelta(days=120), "churn")

    report = await run(session)
    rules = by_rule(report)

    assert report.base_rate_opportunity == 0.5909
    assert rules["expansion_ready"] == {
        "kind": "opportunity",
        "firings": 2,
        "followed": 1,
        "precision": 0.5,
        "churned": None,
        "contracted": None,
        "health_dropped": None,
        # E's 13 snapshots from END-98 to END-14 precede its expansion on END-9: 13 of 22 (E's 21
        # and F's one) are followed by an expansion; 0.5 / 0.5909
        "lift": 0.85,
    }
    assert all(r["firings"] == 0 for name, r in rules.items() if name != "expansion_ready")


async def test_facts_as_they_were_and_onsets_across_the_window_start(session, end):
    """P: declining on START-7 and START (no onset: it already fired on the snapshot before
    the window), not on START+7, again on START+14 (an onset).

    Q: an annual renewal on R = END-28 (lost today: the outcome does not matter) and a
    monthly one on R-40 (not a renewal milestone), snapshots every week from R-91 to R: the
    90-day milestone opens on R-84, the 60-day on R-56, the 30-day on R-28. It churns on R+7:
    92 days after R-84 (too late), within 90 days of the two others.

    H: health 80 until END-91, then 75, 70, 65 and 60 from END-63: never more than 15 points
    a week, but health_drop fires on END-63 (80 on END-98, the latest snapshot 30 days
    earlier) and END-56, not on END-49 (75 on END-84); on END-14 health is 45, exactly 15
    below 60: followed."""
    start = end - timedelta(days=365)
    p, q, h = [await make_account(session) for _ in range(3)]
    await history(
        session,
        p,
        [start - timedelta(days=7), start, start + timedelta(days=7), start + timedelta(days=14)],
        special={start + timedelta(days=7): (70.0, QUIET)},
        inputs=DECLINING,
    )
    r = end - timedelta(days=28)
    session.add(Renewal(account_id=q.id, renewal_date=r, arr_up_for_renewal=Decimal(24000), outcome="churned"))
    session.add(Renewal(account_id=q.id, renewal_date=r - timedelta(days=40), term="monthly"))
    await history(session, q, weekly(r - timedelta(days=91), r))
    await movement(session, q, r + timedelta(days=7), "churn")
    grid = weekly(end - timedelta(days=140), end)
    slide = {end - timedelta(days=84): 75.0, end - timedelta(days=77): 70.0, end - timedelta(days=70): 65.0}
    health = (
        {on: 80.0 if on <= end - timedelta(days=91) else 60.0 for on in grid} | slide | {end - timedelta(days=14): 45.0}
    )
    await history(session, h, grid, special={on: (v, QUIET) for on, v in health.items()})

    report = await run(session)

    rules = by_rule(report)
    assert rules["usage_decline"] == {
        "kind": "risk",
        "firings": 1,
        "followed": 0,
        "precision": 0.0,
        "churned": 0,
        "contracted": 0,
        "health_dropped": 0,
        "lift": 0.0,
    }
    assert {name: (rules[name]["firings"], rules[name]["followed"], rules[name]["churned"]) for name in rules} == {
        name: (0, 0, 0 if name not in precision.OPPORTUNITY_RULES else None) for name in rules
    } | {
        "usage_decline": (1, 0, 0),
        "renewal_90": (1, 0, 0),
        "renewal_60": (1, 1, 1),
        "renewal_30": (1, 1, 1),
        "health_drop": (1, 1, 0),
    }
    assert rules["health_drop"]["health_dropped"] == 1
    # P's snapshots from START on (3), Q's 14, H's 21
    assert (report.accounts, report.snapshots) == (3, 38)


async def test_the_route_reads_the_active_thresholds_and_caches_per_day_and_version(client, session, end):
    a = await make_account(session)
    await history(
        session, a, weekly(end - timedelta(days=70), end), special={end - timedelta(days=35): (70.0, DECLINING)}
    )
    await movement(session, a, end - timedelta(days=10), "contraction")
    leader = await bearer(session, Role.leader)

    first = await client.get("/api/v1/alerts/precision", headers=leader)
    assert first.status_code == 200
    body = first.json()
    version = (await scoring.load_active(session)).version
    assert body["config_version"] == version
    decline = next(r for r in body["rules"] if r["rule"] == "usage_decline")
    assert (decline["firings"], decline["followed"], decline["contracted"], decline["precision"]) == (1, 1, 1, 1.0)

    # the day's report is kept: a new history does not show until tomorrow or a new version
    b = await make_account(session)
    await history(session, b, [end - timedelta(days=7)], inputs=DECLINING)
    again = (await client.get("/api/v1/alerts/precision", headers=await bearer(session, Role.admin))).json()
    assert again == body

    # a new version with a 60% decline threshold: neither decline fires any more
    strict = default_body().model_copy(update={"alerts": AlertThresholds(usage_decline=0.6)})
    row = await scoring_repo.add_config(session, strict, "strict", None)
    assert row.version is not None
    await scoring_repo.activate_config(session, row.version)
    await session.flush()
    newer = (await client.get("/api/v1/alerts/precision", headers=leader)).json()
    assert newer["config_version"] == row.version
    assert datetime.fromisoformat(newer["computed_at"]) > datetime.fromisoformat(body["computed_at"])
    decline = next(r for r in newer["rules"] if r["rule"] == "usage_decline")
    assert (decline["firings"], decline["precision"]) == (0, None)
    assert newer["accounts"] == 2


def test_opportunity_rules_mirror_the_queue():
    assert precision.OPPORTUNITY_RULES == ranking.OPPORTUNITY_RULES
