"""The arithmetic of a health score on hand-worked numbers (default config, DESIGN §6/§7)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.core.enums import Band, Quadrant
from app.scoring.config import default_body
from app.scoring.engine import curve, quadrants, score_batch, side, weighted_mean
from app.scoring.explain import attribute, sentence

BODY = default_body()


def metric_score(component: str, metric: str, raw: float | None) -> float | None:
    s = score_batch(BODY, [{component: {metric: raw}}])
    v = float(s.components[component].metric_scores[metric][0])
    return None if math.isnan(v) else v


# (component, metric, raw, expected score) worked by hand from DESIGN §6's breakpoints.
CURVE_CASES = [
    # login_frequency (0→0, 5→40, 10→70, 20→100)
    ("usage", "login_frequency", 0, 0),
    ("usage", "login_frequency", 2.5, 20),  # 40 x 2.5/5
    ("usage", "login_frequency", 7.5, 55),  # 40 + 30 x 2.5/5
    ("usage", "login_frequency", 15, 85),  # 70 + 30 x 5/10
    ("usage", "login_frequency", 40, 100),  # clamped
    # feature_adoption (0→0, 1→100)
    ("usage", "feature_adoption", 0.5, 50),
    ("usage", "feature_adoption", 1, 100),
    # time_in_platform (0→0, 30→50, 120→100)
    ("usage", "time_in_platform", 12, 20),
    ("usage", "time_in_platform", 75, 75),  # 50 + 50 x 45/90
    ("usage", "time_in_platform", 500, 100),
    # user_growth (-50%→0, 0%→60, +30%→100)
    ("usage", "user_growth", -0.8, 0),
    ("usage", "user_growth", -0.25, 30),
    ("usage", "user_growth", 0.15, 80),
    # support
    ("support", "urgent_open", 0, 100),
    ("support", "urgent_open", 1, 40),
    ("support", "urgent_open", 3, 0),
    ("support", "open_tickets", 7, 24),  # 40 - 40 x 2/5
    ("support", "oldest_open_days", 3.5, 80),  # 100 - 40 x 3.5/7
    ("support", "oldest_open_days", 14, 60 - 60 * 7 / 23),
    ("support", "ticket_volume", 0.5, 100),  # below 1x clamps to 100
    ("support", "ticket_volume", 2, 60),  # 100 - 80 x 1/2
    ("support", "ticket_volume", 4, 20),
    ("support", "escalations", 2, 30),  # 60 - 60 x 1/2
    # sentiment
    ("sentiment", "nps", 7, 55),
    ("sentiment", "nps", 3, 20),
    ("sentiment", "nps_trend", -1.5, 35),
    ("sentiment", "nps_trend", 1, 85),
    ("sentiment", "csat", 4, 75),
    ("sentiment", "csat", 2, 25),
    # relationship
    ("relationship", "days_since_touch", 15, 85),
    ("relationship", "days_since_touch", 60, 35),
    ("relationship", "touch_sentiment", -1, 0),
    ("relationship", "touch_sentiment", 0, 60),
    ("relationship", "touch_sentiment", 1, 100),
    ("relationship", "days_since_qbr", 30, 100),  # ≤ 90 → 100
    ("relationship", "days_since_qbr", 135, 65),  # 100 - 70 x 45/90
    ("relationship", "days_since_qbr", 400, 30),  # clamped at the last breakpoint
    ("relationship", "stakeholder_coverage", 0, 20),
    ("relationship", "stakeholder_coverage", 1, 60),
    ("relationship", "stakeholder_coverage", 2, 100),
    # commercial
    ("commercial", "invoice_overdue_days", 15, 65),  # 100 - 70 x 15/30
    ("commercial", "invoice_overdue_days", 45, 15),
    ("commercial", "arr_change_12m", -0.15, 35),
    ("commercial", "arr_change_12m", 0.1, 85),
]


@pytest.mark.parametrize(("component", "metric", "raw", "expected"), CURVE_CASES)
def test_every_sub_metric_curve(component, metric, raw, expected):
    assert metric_score(component, metric, raw) == pytest.approx(expected)


def test_missing_is_not_zero_except_where_configured():
    assert metric_score("usage", "login_frequency", None) is None
    # "none 0" for QBRs, when anything else about the relationship is known
    s = score_batch(BODY, [{"relationship": {"days_since_touch": 0}}, {"relationship": {}}])
    assert s.components["relationship"].metric_scores["days_since_qbr"][0] == 0
    assert s.components["relationship"].score[0] == pytest.approx(50)  # (100 + 0) / 2
    assert math.isnan(s.components["relationship"].score[1])


def test_curve_clamps_and_keeps_nan():
    out = curve([(0, 0), (10, 100)], np.array([-5.0, 5.0, 15.0, np.nan]))
    assert out[:3].tolist() == [0.0, 50.0, 100.0]
    assert math.isnan(out[3])


def test_weighted_mean_renormalises_over_present_values():
    mean, coverage = weighted_mean([0.3, 0.4, 0.2, 0.1], [np.array([v]) for v in (55.0, 50.0, 75.0, np.nan)])
    assert mean[0] == pytest.approx((0.3 * 55 + 0.4 * 50 + 0.2 * 75) / 0.9)  # 57.2222…
    assert coverage[0] == pytest.approx(0.9)
    empty, cov = weighted_mean([1.0, 1.0], [np.array([np.nan]), np.array([np.nan])])
    assert math.isnan(empty[0]) and cov[0] == 0


FULL = {
    "usage": {"login_frequency": 7.5, "feature_adoption": 0.5, "time_in_platform": 75, "user_growth": None},
    "support": {"urgent_open": 1, "open_tickets": 7, "oldest_open_days": 3.5, "ticket_volume": None, "escalations": 2},
    "sentiment": {"nps": 7, "nps_trend": -1.5, "csat": 4},
    "relationship": {"days_since_touch": 15, "touch_sentiment": 0, "days_since_qbr": None, "stakeholder_coverage": 1},
    "commercial": {"invoice_overdue_days": None, "arr_change_12m": None},
}


def test_composite_axes_band_and_coverage_hand_worked():
    s = score_batch(BODY, [FULL])
    usage = (0.3 * 55 + 0.4 * 50 + 0.2 * 75) / 0.9  # 57.222…, user_growth missing
    support = (40 + 24 + 80 + 30) / 4  # 43.5, ticket_volume missing
    sentiment = (55 + 35 + 75) / 3  # 55
    relationship = (85 + 60 + 0 + 60) / 4  # 51.25, QBR none scores 0 and counts as data
    assert s.components["usage"].score[0] == pytest.approx(usage)
    assert s.components["support"].score[0] == pytest.approx(support)
    assert s.components["sentiment"].score[0] == pytest.approx(sentiment)
    assert s.components["relationship"].score[0] == pytest.approx(relationship)
    assert math.isnan(s.components["commercial"].score[0])  # no data at all → null
    # health: commercial's 0.10 spread over the other four (0.90)
    health = (0.35 * usage + 0.20 * support + 0.20 * sentiment + 0.15 * relationship) / 0.90
    assert s.health_score[0] == pytest.approx(health)  # 52.06…
    assert s.usage_axis[0] == pytest.approx(usage)
    assert s.health_axis[0] == pytest.approx((0.20 * support + 0.20 * sentiment + 0.15 * relationship) / 0.55)
    # coverage: usage 0.9, support 0.8, sentiment 1, relationship 1, commercial 0
    assert s.coverage[0] == pytest.approx(0.35 * 0.9 + 0.20 * 0.8 + 0.20 + 0.15 + 0)
    assert s.band == [Band.at_risk]
    assert s.quadrant == [Quadrant.churn_risk]  # usage 57.2 < 60, health axis 49.7 < 60


def test_no_data_anywhere_gives_no_score():
    s = score_batch(BODY, [{}])
    assert math.isnan(s.health_score[0])
    assert (s.band, s.quadrant, float(s.coverage[0])) == ([None], [None], 0.0)


@pytest.mark.parametrize(
    ("value", "was_high", "expected"),
    [
        (60.0, -1, 1),  # no history: the cutoff itself is high
        (59.99, -1, 0),
        (55.0, 1, 1),  # high stays high down to cutoff - hysteresis
        (54.99, 1, 0),  # crossed by more than 5
        (65.0, 0, 0),  # low stays low up to cutoff + hysteresis
        (65.01, 0, 1),
        (float("nan"), 1, -1),
    ],
)
def test_side_hysteresis_at_the_boundary(value, was_high, expected):
    got = side(np.array([value]), 60, 5, np.array([was_high], dtype=np.int8))
    assert int(got[0]) == expected


def test_quadrant_hysteresis_holds_a_champion_through_noise():
    cfg = BODY.quadrant
    usage = np.array([56.0, 54.0, 64.0, 66.0])
    health = np.array([70.0, 70.0, 40.0, 40.0])
    prev = [Quadrant.champions, Quadrant.champions, Quadrant.churn_risk, Quadrant.churn_risk]
    assert quadrants(usage, health, cfg, prev) == [
        Quadrant.champions,  # 56 is within 5 of the cutoff: still high usage
        Quadrant.relationship_dependent,  # 54 crossed by more than 5
        Quadrant.churn_risk,  # 64 not yet 5 above
        Quadrant.frustrated_power_users,  # 66 crossed
    ]
    assert quadrants(usage, health, cfg, [None] * 4) == [
        Quadrant.relationship_dependent,
        Quadrant.relationship_dependent,
        Quadrant.frustrated_power_users,
        Quadrant.frustrated_power_users,
    ]


def test_explain_attributes_a_change_exactly_with_renormalisation():
    before = {
        "usage": {"login_frequency": 10, "feature_adoption": 1, "time_in_platform": 120, "user_growth": 0.3},  # 91
        "support": {"urgent_open": 0, "open_tickets": 0, "oldest_open_days": 0, "escalations": 0},  # 100
        "sentiment": {"nps": 8},  # 70
        "relationship": {"days_since_touch": 0, "touch_sentiment": 1, "days_since_qbr": 30, "stakeholder_coverage": 2},
        "commercial": {"invoice_overdue_days": 0},  # 100
    }
    after = {
        **before,
        "support": {"urgent_open": 2, "open_tickets": 2, "oldest_open_days": 0, "escalations": 0},
        "sentiment": {"nps": 4},
        "commercial": {},  # no invoice data any more: its weight is spread over the rest
    }
    h_from, h_to, parts = attribute(BODY, before, BODY, after)
    # before: usage 91, support 100, sentiment 70, relationship 100, commercial 100
    assert h_from == pytest.approx(0.35 * 91 + 0.20 * 100 + 0.20 * 70 + 0.15 * 100 + 0.10 * 100)  # 90.85
    # after: support (0 + 76 + 100 + 100)/4 = 69; sentiment NPS 4 → 26.667; commercial null
    support_after = (0 + (100 - 60 * 2 / 5) + 100 + 100) / 4
    sentiment_after = 40 * 4 / 6
    h_after = (0.35 * 91 + 0.20 * support_after + 0.20 * sentiment_after + 0.15 * 100) / 0.90
    assert h_to == pytest.approx(h_after)
    by = {p.name: p for p in parts}
    assert sum(p.contribution for p in parts) == pytest.approx(h_to - h_from)
    assert by["sentiment"].contribution == pytest.approx(0.20 / 0.90 * sentiment_after - 0.20 * 70)
    assert by["commercial"].contribution == pytest.approx(-0.10 * 100)
    assert by["usage"].contribution == pytest.approx(0.35 / 0.90 * 91 - 0.35 * 91)  # renormalisation alone
    assert sum(m.contribution for m in by["support"].sub_metrics) == pytest.approx(by["support"].contribution)
    assert by["support"].sub_metrics[0].name == "urgent_open"  # the biggest mover first
    # commercial -10, sentiment -8.07, support -4.67, usage +3.54, relationship +1.67
    assert [p.name for p in parts] == ["commercial", "sentiment", "support", "usage", "relationship"]
    assert sentence(h_from, h_to, parts) == (
        "91 → 73: commercial \u221210 (Days overdue 0 d → none), sentiment \u22128 (NPS 8 → 4), "
        "support \u22125 (P1/P2 open > 24 h 0 → 2)"
    )
