"""Cohort and product analytics on hand-built accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.core.enums import Role
from app.core.models import utcnow
from app.feedback.models import ProductFeedback
from app.flows.revenue_rebuild import rebuild_book
from app.renewals.models import Renewal
from app.revenue.metrics import add_months
from app.revenue.models import SubscriptionLine
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot
from app.usage.models import Feature, UsageDaily
from tests.factories import bearer, make_account

TODAY = utcnow().date()
THIS_MONTH = TODAY.replace(day=1)


async def line(session, account, n, monthly, start, end=None, reason=None):
    session.add(
        SubscriptionLine(
            source_id=f"an-{account.id}-{n}", account_id=account.id, product="core", quantity=Decimal(1),
            unit_amount=Decimal(monthly), interval="month", start_date=start, end_date=end,
            cancellation_reason=reason,
        )
    )  # fmt: skip


async def test_cohort_curves_and_churn_drivers(client, session):
    """Cohort M-5: A ($100/mo) and B ($300/mo, churns at M-3 for 'too expensive');
    cohort M-4: C ($200/mo, Enterprise). Ages count months after the first one."""
    m5, m4, m3 = add_months(THIS_MONTH, -5), add_months(THIS_MONTH, -4), add_months(THIS_MONTH, -3)
    a = await make_account(session, segment="SMB")
    b = await make_account(session, segment="SMB")
    c = await make_account(session, segment="Enterprise")
    await line(session, a, 1, 100, m5)
    await line(session, b, 1, 300, m5, m3, "too expensive")
    await line(session, c, 1, 200, m4)
    await session.flush()
    await rebuild_book(session)
    headers = await bearer(session, Role.product)

    r = (await client.get("/api/v1/analytics/cohorts", params={"months": 6}, headers=headers)).json()
    first = next(x for x in r["cohorts"] if x["cohort"] == m5.isoformat())
    assert (first["group"], first["size"], first["initial_arr"]) == ("all", 2, 4800.0)
    # ARR at the start of each month after the first: B's line ends on M-3, so B still counts
    # at the start of M-3 (age 1) and is gone at the start of M-2 (age 2)
    assert [(x["age"], x["retained"], x["arr"]) for x in first["ages"][:3]] == [
        (0, 2, 4800.0),
        (1, 2, 4800.0),
        (2, 1, 1200.0),
    ]
    assert first["ages"][2]["logo_retention"] == 0.5 and first["ages"][2]["revenue_retention"] == 0.25
    assert len(first["ages"]) == 6  # the starts of M-4 .. M-0, and today (the start of next month)
    split = (
        await client.get("/api/v1/analytics/cohorts", params={"months": 6, "split": "segment"}, headers=headers)
    ).json()
    assert sorted((x["cohort"], x["group"], x["size"]) for x in split["cohorts"]) == [
        (m5.isoformat(), "SMB", 2), (m4.isoformat(), "Enterprise", 1),
    ]  # fmt: skip

    drivers = (await client.get("/api/v1/analytics/churn-drivers", params={"months": 12}, headers=headers)).json()
    assert drivers["reason"] == [{"driver": "too expensive", "churns": 1, "lost_arr": 3600.0}]
    assert drivers["kind"] == [{"driver": "voluntary", "churns": 1, "lost_arr": 3600.0}]
    assert drivers["segment"] == [{"driver": "SMB", "churns": 1, "lost_arr": 3600.0}]


async def test_time_to_value(client, session):
    d = date(2026, 1, 1)
    for days in (10, 20, 40):
        await make_account(
            session,
            segment="SMB",
            signup_date=d,
            first_value_at=datetime.combine(d + timedelta(days=days), datetime.min.time(), tzinfo=UTC),
        )
    await make_account(session, segment="SMB", signup_date=d)  # no value yet: not counted
    headers = await bearer(session, Role.product)
    got = (await client.get("/api/v1/analytics/time-to-value", headers=headers)).json()
    assert got == [
        {"segment": "SMB", "accounts": 3, "median_days": 20.0, "p25_days": 15.0, "p75_days": 30.0,
         "median_onboarding_days": None}
    ]  # fmt: skip


async def test_outcome_rates_by_usage_tier_and_quadrant(client, session):
    """Six renewals 10 days ago, each with a snapshot 100 days before it."""
    version = (await scoring.load_active(session)).version
    event = TODAY - timedelta(days=10)
    cases = [
        (20.0, "churn_risk", "churned"), (30.0, "churn_risk", "renewed"), (50.0, "relationship_dependent", "churned"),
        (80.0, "champions", "renewed"), (90.0, "champions", "renewed"), (85.0, "champions", "churned"),
    ]  # fmt: skip
    for usage, quadrant, outcome in cases:
        a = await make_account(session)
        session.add(
            HealthSnapshot(
                account_id=a.id, as_of=event - timedelta(days=100), config_version=version, usage_score=usage,
                health_score=60.0, quadrant=quadrant,
            )
        )  # fmt: skip
        session.add(Renewal(account_id=a.id, renewal_date=event, arr_up_for_renewal=Decimal(1000), outcome=outcome))
    await session.flush()
    headers = await bearer(session, Role.product)
    tiers = (await client.get("/api/v1/analytics/engagement-churn", headers=headers)).json()["tiers"]
    assert [(t["label"], t["outcomes"], t["churned"]) for t in tiers] == [
        ("low", 2, 1),
        ("medium", 1, 1),
        ("high", 3, 1),
    ]
    quarters = (await client.get("/api/v1/analytics/quadrant-churn", headers=headers)).json()["quarters"]
    assert len(quarters) == 1
    rates = {q["label"]: (q["outcomes"], q["churn_rate"], q["ratio_to_champions"]) for q in quarters[0]["quadrants"]}
    assert rates["champions"] == (3, pytest.approx(1 / 3), pytest.approx(1.0))
    assert rates["churn_risk"] == (2, 0.5, pytest.approx(1.5))
    assert rates["relationship_dependent"] == (1, 1.0, pytest.approx(3.0))
    assert rates["frustrated_power_users"] == (0, None, None)


async def test_feature_use_before_renewal_and_by_quadrant(client, session):
    version = (await scoring.load_active(session)).version
    reports = Feature(id=900, key="reports-x", name="Reports X", is_core=True)
    api = Feature(id=901, key="api-x", name="API X")
    session.add_all([reports, api])
    await session.flush()
    renewal_day = TODAY - timedelta(days=40)

    async def account(outcome, quadrant, used: dict[int, list[int]]):
        a = await make_account(session)
        session.add(Renewal(account_id=a.id, renewal_date=renewal_day, arr_up_for_renewal=Decimal(1), outcome=outcome))
        session.add(AccountHealth(account_id=a.id, as_of=TODAY, config_version=version, quadrant=quadrant))
        for feature, days_before in used.items():
            for d in days_before:
                session.add(
                    UsageDaily(account_id=a.id, day=renewal_day - timedelta(days=d), feature_id=feature, events=3)
                )
        return a

    # reports used 35 days before renewal (inside the 30-day window: days 31..58 before)
    await account("renewed", "champions", {900: [35], 901: [35, 70]})
    await account("expanded", "champions", {900: [95]})  # only the 90-day window (days 91..118)
    await account("churned", "frustrated_power_users", {901: [65]})
    await session.flush()
    headers = await bearer(session, Role.product)
    got = (await client.get("/api/v1/analytics/adoption-before-renewal", headers=headers)).json()["features"]
    by = {
        f["key"]: {
            w["days_before"]: (w["renewed_share"], w["churned_share"], w["renewed"], w["churned"]) for w in f["windows"]
        }
        for f in got
    }
    assert by["reports-x"] == {90: (0.5, 0.0, 2, 1), 60: (0.0, 0.0, 2, 1), 30: (0.5, 0.0, 2, 1)}
    assert by["api-x"] == {90: (0.0, 0.0, 2, 1), 60: (0.5, 1.0, 2, 1), 30: (0.5, 0.0, 2, 1)}

    # by quadrant: usage in the last 28 days (days 40.. before renewal are today - 75.. : none) -> add recent use
    session.add(
        UsageDaily(
            account_id=(await account("renewed", "champions", {})).id,
            day=TODAY - timedelta(days=2),
            feature_id=900,
            events=10,
        )
    )
    await session.flush()
    fbq = {f["key"]: f for f in (await client.get("/api/v1/analytics/features-by-quadrant", headers=headers)).json()}
    champ = next(q for q in fbq["reports-x"]["quadrants"] if q["quadrant"] == "champions")
    assert (champ["accounts"], champ["share"], champ["events_per_account"]) == (
        3,
        pytest.approx(1 / 3),
        pytest.approx(10 / 3),
    )
    assert fbq["reports-x"]["champions_vs_frustrated"] == pytest.approx(1 / 3)


async def test_complaint_to_fix_and_feedback_api(client, session):
    now = utcnow()
    session.add_all(
        [
            ProductFeedback(title="Export fails", product_area="Reporting", raised_at=now - timedelta(days=40),
                            shipped_at=now - timedelta(days=30), confirmed_at=now - timedelta(days=26)),
            ProductFeedback(title="Slow charts", product_area="Reporting", raised_at=now - timedelta(days=50),
                            shipped_at=now - timedelta(days=20)),
            ProductFeedback(title="SSO", product_area="Admin", raised_at=now - timedelta(days=12)),
        ]
    )  # fmt: skip
    await session.flush()
    csm = await bearer(session, Role.csm)
    rows = {r["product_area"]: r for r in (await client.get("/api/v1/analytics/complaint-to-fix", headers=csm)).json()}
    assert (rows["Reporting"]["raised"], rows["Reporting"]["shipped"], rows["Reporting"]["confirmed"]) == (2, 2, 1)
    assert rows["Reporting"]["median_days_to_ship"] == pytest.approx(20.0)  # 10 and 30 days
    assert rows["Reporting"]["median_days_to_confirm"] == pytest.approx(4.0)
    assert rows["Admin"]["oldest_open_days"] == pytest.approx(12.0, abs=0.01)

    made = await client.post(
        "/api/v1/analytics/feedback", json={"title": "Bulk edit", "product_area": "Admin"}, headers=csm
    )
    assert made.status_code == 201
    shipped = await client.patch(
        f"/api/v1/analytics/feedback/{made.json()['id']}", json={"shipped_at": now.isoformat()}, headers=csm
    )
    assert shipped.status_code == 200 and shipped.json()["shipped_at"] is not None
    assert (await client.post("/api/v1/analytics/feedback", json={"title": ""}, headers=csm)).status_code == 422
    viewer = await bearer(session, Role.viewer)
    assert (await client.post("/api/v1/analytics/feedback", json={"title": "x"}, headers=viewer)).status_code == 403
