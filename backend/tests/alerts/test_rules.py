"""Every default alert rule at its threshold, on hand-built facts (DESIGN §8)."""

from __future__ import annotations

from datetime import date

import pytest

from app.alerts.rules import AccountFacts, AlertThresholds, evaluate, rule_names
from app.core.enums import Quadrant, Severity

T = AlertThresholds()
D = date(2026, 6, 15)


def facts(**kw) -> AccountFacts:
    base = {
        "account_id": "a",
        "name": "Acme",
        "as_of": D,
        "inputs": {},
        "health": 70.0,
        "health_before": 70.0,
        "quadrant": Quadrant.champions,
        "last_move": None,
        "next_renewal": None,
    }
    base.update(kw)
    return AccountFacts(**base)


def fired(f: AccountFacts) -> dict[str, tuple[Severity, str]]:
    return {x.rule: (x.severity, x.title) for x in evaluate(f, T)}


def test_a_quiet_account_fires_nothing():
    assert fired(facts()) == {}


@pytest.mark.parametrize(
    ("before", "now", "expected"), [(85, 70, None), (85, 69.9, Severity.medium), (90, 59, Severity.high)]
)
def test_health_drop_more_than_15_points(before, now, expected):
    got = fired(facts(health_before=before, health=now)).get("health_drop")
    assert (got[0] if got else None) == expected


def test_critical_ticket():
    assert "critical_ticket" not in fired(facts(inputs={"support": {"urgent_open": 0}}))
    assert fired(facts(inputs={"support": {"urgent_open": 2, "oldest_open_days": 3}}))["critical_ticket"] == (
        Severity.high,
        "2 P1/P2 tickets open for more than 24 hours",
    )


@pytest.mark.parametrize(
    ("days", "rule"),
    [
        (91, None),
        (90, "renewal_90"),
        (61, "renewal_90"),
        (60, "renewal_60"),
        (31, "renewal_60"),
        (30, "renewal_30"),
        (0, "renewal_30"),
        (-1, None),
    ],
)
def test_renewal_milestones(days, rule):
    from datetime import timedelta

    got = [r for r in fired(facts(next_renewal=(D + timedelta(days=days), 12000.0))) if r.startswith("renewal")]
    assert got == ([rule] if rule else [])


def test_usage_decline_more_than_40_percent():
    assert "usage_decline" not in fired(facts(inputs={"usage": {"user_days": 60, "prev_user_days": 100}}))
    assert fired(facts(inputs={"usage": {"user_days": 59, "prev_user_days": 100}}))["usage_decline"][1] == (
        "Active user-days down 41% vs the 4 weeks before (100 → 59)"
    )
    assert "usage_decline" not in fired(facts(inputs={"usage": {"user_days": 0, "prev_user_days": 0}}))


def test_inactivity_14_days():
    assert "inactivity" not in fired(facts(inputs={"usage": {"days_since_activity": 13}}))
    assert fired(facts(inputs={"usage": {"days_since_activity": 14}}))["inactivity"][0] == Severity.high


def test_detractor():
    assert "detractor" not in fired(facts(inputs={"sentiment": {"lowest_nps_30d": 7}}))
    assert "detractor" in fired(facts(inputs={"sentiment": {"lowest_nps_30d": 6, "detractors_30d": 1}}))


def test_ticket_surge_by_ratio_or_open_count():
    assert "ticket_surge" not in fired(facts(inputs={"support": {"ticket_volume": 2.9, "open_tickets": 4}}))
    assert fired(facts(inputs={"support": {"ticket_volume": 3.0, "open_tickets": 0}}))["ticket_surge"][1] == (
        "Ticket surge: 3.0x the usual ticket volume"
    )
    assert fired(facts(inputs={"support": {"ticket_volume": None, "open_tickets": 5}}))["ticket_surge"][1] == (
        "Ticket surge: 5 tickets open"
    )


@pytest.mark.parametrize(
    ("was", "now", "severity"),
    [
        (Quadrant.champions, Quadrant.frustrated_power_users, Severity.high),
        (Quadrant.relationship_dependent, Quadrant.churn_risk, Severity.high),
        (Quadrant.frustrated_power_users, Quadrant.churn_risk, Severity.high),  # any move into churn risk
        (Quadrant.champions, Quadrant.relationship_dependent, Severity.medium),
        (Quadrant.churn_risk, Quadrant.champions, None),  # better
        (Quadrant.frustrated_power_users, Quadrant.relationship_dependent, None),  # sideways
    ],
)
def test_quadrant_down(was, now, severity):
    got = fired(facts(quadrant=now, last_move=(was, now, D))).get("quadrant_down")
    assert (got[0] if got else None) == severity


def test_quadrant_down_clears_once_the_account_moved_on_or_the_move_is_old():
    from datetime import timedelta

    move = (Quadrant.champions, Quadrant.frustrated_power_users, D)
    assert "quadrant_down" not in fired(facts(quadrant=Quadrant.champions, last_move=move))
    month_old = (Quadrant.champions, Quadrant.frustrated_power_users, D - timedelta(days=30))
    assert "quadrant_down" in fired(facts(quadrant=Quadrant.frustrated_power_users, last_move=month_old))
    older = (Quadrant.champions, Quadrant.frustrated_power_users, D - timedelta(days=31))
    assert "quadrant_down" not in fired(facts(quadrant=Quadrant.frustrated_power_users, last_move=older))


def test_payment_overdue_30_days():
    assert "payment_overdue" not in fired(facts(inputs={"commercial": {"invoice_overdue_days": 29}}))
    assert fired(facts(inputs={"commercial": {"invoice_overdue_days": 30}}))["payment_overdue"][0] == Severity.medium
    assert fired(facts(inputs={"commercial": {"invoice_overdue_days": 60}}))["payment_overdue"][0] == Severity.high


def test_seat_and_api_limits():
    assert "seat_limit" not in fired(facts(inputs={"usage": {"active_users": 89, "seat_limit": 100}}))
    assert fired(facts(inputs={"usage": {"active_users": 90, "seat_limit": 100}}))["seat_limit"][1] == (
        "90 active users on a 100-seat limit (90%)"
    )
    assert "seat_limit" not in fired(facts(inputs={"usage": {"active_users": 90, "seat_limit": None}}))
    assert "api_limit" not in fired(facts(inputs={"usage": {"api_calls": 8499, "api_call_limit": 10000}}))
    assert "api_limit" in fired(facts(inputs={"usage": {"api_calls": 8500, "api_call_limit": 10000}}))


def test_expansion_ready():
    assert "expansion_ready" not in fired(facts(health=80, inputs={"usage": {"feature_adoption": 0.9}}))
    assert "expansion_ready" not in fired(facts(health=85, inputs={"usage": {"feature_adoption": 0.7}}))
    assert "expansion_ready" in fired(facts(health=80.1, inputs={"usage": {"feature_adoption": 0.71}}))


def test_rule_names_cover_every_rule():
    assert rule_names(T) == [
        "health_drop",
        "critical_ticket",
        "usage_decline",
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
