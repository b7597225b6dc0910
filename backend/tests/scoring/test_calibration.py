"""Churn probability calibrated from the book's own outcomes (DESIGN §9)."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from app.accounts.models import Account
from app.alerts.models import Alert
from app.core.enums import Role
from app.core.models import utcnow
from app.renewals.models import Renewal
from app.scoring import calibration
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot
from tests.factories import bearer


def test_the_fit_is_the_maximum_likelihood_on_a_hand_worked_sample():
    """Two groups: health 0 churns 3 in 4, health 100 churns 1 in 4. With two distinct
    healths the logistic fit goes through both rates: intercept ln 3, slope -2 ln 3."""
    health = np.array([0.0] * 4 + [100.0] * 4)
    churned = np.array([True, True, True, False, True, False, False, False])
    fit = calibration.fit_logistic(health, churned)
    assert fit.intercept == pytest.approx(math.log(3), abs=2e-3)
    assert fit.slope == pytest.approx(-2 * math.log(3), abs=2e-3)
    assert fit.probability(np.array([0.0, 50.0, 100.0])) == pytest.approx([0.75, 0.5, 0.25], abs=1e-3)
    # the curve the queue reads: every 10 points, rounded
    assert fit.points()[0] == (0.0, 0.75) and fit.points()[5] == (50.0, 0.5) and fit.points()[-1] == (100.0, 0.25)


def test_no_signal_fits_a_flat_curve():
    health = np.array([10.0, 10.0, 90.0, 90.0])
    churned = np.array([True, False, True, False])
    fit = calibration.fit_logistic(health, churned)
    assert fit.slope == pytest.approx(0.0, abs=1e-6) and fit.intercept == pytest.approx(0.0, abs=1e-6)


async def _outcomes(session, groups):
    """Accounts with a renewal outcome 100 days ago and a snapshot 90 days before it."""
    today = scoring.today()
    version = (await scoring.load_active(session)).version
    event = today - timedelta(days=100)
    n = 0
    for health, churned, retained in groups:
        for i in range(churned + retained):
            n += 1
            a = Account(external_id=f"cal-{n}", name=f"Cal {n}", current_arr=Decimal(10_000))
            session.add(a)
            await session.flush()
            session.add(
                Renewal(
                    account_id=a.id, renewal_date=event, arr_up_for_renewal=Decimal(10_000),
                    outcome="churned" if i < churned else "renewed",
                )
            )  # fmt: skip
            session.add(
                HealthSnapshot(
                    account_id=a.id, as_of=event - timedelta(days=90), config_version=version, health_score=health,
                )
            )  # fmt: skip
    await session.flush()


async def test_too_few_outcomes_keeps_the_default_curve(client, session):
    await _outcomes(session, [(20.0, 10, 10)])
    admin = await bearer(session, Role.admin)
    r = await client.post("/api/v1/scoring/calibration", headers=admin)
    assert r.status_code == 409
    assert "needs 200 with at least 30 churned and 30 retained" in r.json()["detail"]
    got = (await client.get("/api/v1/scoring/calibration", headers=admin)).json()
    assert (got["source"], got["fitted"]) == ("default", None)


async def test_enough_outcomes_calibrate_the_queue(client, session):
    """100 accounts at health 20 (75 churned), 100 at health 80 (25 churned):
    logit(0.75) = 1.0986 at 20 and logit(0.25) = -1.0986 at 80, so the slope is
    -2.1972 / 0.6 = -3.662 per 100 points and the intercept 1.0986 + 0.2 x 3.662 = 1.831."""
    await _outcomes(session, [(20.0, 75, 25), (80.0, 25, 75)])
    admin = await bearer(session, Role.admin)
    r = await client.post("/api/v1/scoring/calibration", headers=admin)
    assert r.status_code == 200, r.text
    fitted = r.json()["fitted"]
    assert (r.json()["source"], fitted["outcomes"], fitted["churned"], fitted["usable"]) == (
        "calibrated", 200, 100, True,
    )  # fmt: skip
    assert fitted["slope"] == pytest.approx(-3.662, abs=0.01)
    assert fitted["intercept"] == pytest.approx(1.831, abs=0.01)
    assert fitted["brier_calibrated"] == pytest.approx(0.1875, abs=1e-3)  # 0.75 x 0.25 in each group
    assert fitted["brier_calibrated"] < fitted["brier_default"]

    # The queue reads the fitted curve: an account at health 20 churns with p = 0.75.
    a = Account(external_id="queued", name="Queued", current_arr=Decimal(100_000))
    session.add(a)
    await session.flush()
    version = (await scoring.load_active(session)).version
    session.add(AccountHealth(account_id=a.id, as_of=scoring.today(), config_version=version, health_score=20.0))
    session.add(
        Alert(
            account_id=a.id, rule="inactivity", severity="medium", dedupe_key=f"inactivity:{a.id}",
            title="No activity for 20 days", opened_at=utcnow(),
        )
    )  # fmt: skip
    await session.flush()
    queue = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=admin)).json()
    assert queue["probability_source"] == "calibrated"
    item = next(i for i in queue["items"] if i["account"]["name"] == "Queued")
    assert item["churn_probability"] == pytest.approx(0.75, abs=0.005)
    assert item["value"] == pytest.approx(100_000 * item["churn_probability"] * 0.8)

    # The validation report judges the probability in use (the fit, out of fold), not the
    # config's curve: each group's predictions come out at its observed rate.
    report = (await client.get("/api/v1/scoring/validation", headers=admin)).json()
    assert report["probability_source"] == "calibrated"
    filled = [
        (b["outcomes"], round(b["mean_predicted"], 2), b["churn_rate"]) for b in report["calibration"] if b["outcomes"]
    ]
    assert filled == [(100, 0.25, 0.25), (100, 0.75, 0.75)]


async def test_a_fit_that_says_healthier_churns_more_is_not_used(client, session):
    await _outcomes(session, [(20.0, 25, 75), (80.0, 75, 25)])
    admin = await bearer(session, Role.admin)
    r = await client.post("/api/v1/scoring/calibration", headers=admin)
    assert r.status_code == 200
    assert (r.json()["source"], r.json()["fitted"]["usable"]) == ("default", False)
    curve, source = await calibration.probability_curve(session, (await scoring.load_active(session)).body)
    assert source == "default" and curve[0] == (0.0, 0.6)
