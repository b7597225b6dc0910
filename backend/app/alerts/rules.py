"""The default alert rules of DESIGN §8 as pure functions of one account's facts.

Facts are what scoring already knows on the date (the snapshot's raw inputs and scores)
plus a few lookups (health 30 days earlier, the next renewal, the latest quadrant move).
Each rule returns a firing (severity, title, the facts that fired it) or None; thresholds
live in the scoring config (``alerts``), so they are versioned with the score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.enums import Quadrant, Severity, move_direction
from app.core.format import score


class AlertThresholds(BaseModel):
    # Every number bounded and finite (stored in the config's JSONB, which has no Infinity
    # or NaN; counts fit PostgreSQL integers): a bad config is a 422 naming the field.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    health_drop_points: Annotated[float, Field(gt=0, le=100)] = 15
    health_drop_days: Annotated[int, Field(ge=1, le=365)] = 30
    # Milestones in days before a renewal (one alert rule each, renewal_<days>).
    renewal_days: list[Annotated[int, Field(ge=1, le=730)]] = Field(default_factory=lambda: [90, 60, 30], max_length=12)
    # A quadrant move raises an alert while it is this recent (and the account still sits there).
    quadrant_move_days: Annotated[int, Field(ge=1, le=365)] = 30
    usage_decline: Annotated[float, Field(gt=0, le=1)] = 0.40
    inactivity_days: Annotated[int, Field(ge=1, le=365)] = 14
    detractor_max_score: Annotated[int, Field(ge=0, le=10)] = 6
    ticket_surge_ratio: Annotated[float, Field(gt=0, le=100)] = 3
    ticket_surge_open: Annotated[int, Field(ge=1, le=10_000)] = 5
    payment_overdue_days: Annotated[int, Field(ge=1, le=365)] = 30
    seat_limit_share: Annotated[float, Field(gt=0, le=2)] = 0.90
    api_limit_share: Annotated[float, Field(gt=0, le=2)] = 0.85
    expansion_health: Annotated[float, Field(ge=0, le=100)] = 80
    expansion_adoption: Annotated[float, Field(ge=0, le=1)] = 0.70
    # Noise control. The queue leaves out accounts whose alerts are all below this severity
    # (the alerts stay open and listed on the account).
    queue_min_severity: Severity = Severity.low
    # Snoozing without a date snoozes for the rule's days here, else ``snooze_default_days``.
    snooze_default_days: Annotated[int, Field(ge=1, le=365)] = 7
    snooze_days: dict[str, Annotated[int, Field(ge=1, le=365)]] = Field(
        default_factory=lambda: {
            "renewal_90": 14,
            "renewal_60": 7,
            "renewal_30": 3,
            "seat_limit": 30,
            "api_limit": 30,
            "expansion_ready": 30,
            "critical_ticket": 1,
            "payment_overdue": 7,
        },
        max_length=50,
    )

    def snooze_for(self, rule: str) -> int:
        return self.snooze_days.get(rule, self.snooze_default_days)


@dataclass
class AccountFacts:
    """What the rules read about one account on one date."""

    account_id: Any
    name: str
    as_of: date
    inputs: dict[str, dict[str, Any]]
    health: float | None
    health_before: float | None  # the latest snapshot at least health_drop_days earlier
    quadrant: Quadrant | None
    last_move: tuple[Quadrant | None, Quadrant, date] | None  # (from, to, on)
    next_renewal: tuple[date, float] | None  # (date, ARR up for renewal)
    extra: dict[str, Any] = field(default_factory=dict)

    def raw(self, component: str, name: str) -> Any:
        return self.inputs.get(component, {}).get(name)


@dataclass(frozen=True)
class Firing:
    rule: str
    severity: Severity
    title: str
    facts: dict[str, Any]


Rule = Callable[[AccountFacts, AlertThresholds], Firing | None]

WORSE_HIGH = {
    (Quadrant.champions, Quadrant.frustrated_power_users),
    (Quadrant.relationship_dependent, Quadrant.churn_risk),
}


def health_drop(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    if f.health is None or f.health_before is None or f.health_before - f.health <= t.health_drop_points:
        return None
    drop = f.health_before - f.health
    return Firing(
        "health_drop",
        Severity.high if drop > 2 * t.health_drop_points else Severity.medium,
        f"Health fell {drop:.0f} points in {t.health_drop_days} days ({score(f.health_before)} → {score(f.health)})",
        {"health": f.health, "health_before": f.health_before, "drop": round(drop, 1)},
    )


def critical_ticket(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    n = f.raw("support", "urgent_open") or 0
    if n < 1:
        return None
    return Firing(
        "critical_ticket",
        Severity.high,
        f"{n:.0f} P1/P2 ticket{'s' if n > 1 else ''} open for more than 24 hours",
        {"urgent_open": int(n), "oldest_open_days": f.raw("support", "oldest_open_days")},
    )


def renewal(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    """renewal_90 / renewal_60 / renewal_30: the nearest milestone the next renewal is inside."""
    if f.next_renewal is None:
        return None
    when, arr = f.next_renewal
    days = (when - f.as_of).days
    inside = [m for m in sorted(t.renewal_days) if 0 <= days <= m]
    if not inside:
        return None
    milestone = inside[0]
    severity = Severity.high if milestone <= 30 else Severity.medium if milestone <= 60 else Severity.low
    return Firing(
        f"renewal_{milestone}",
        severity,
        f"Renewal in {days} days ({when:%b %-d, %Y})",
        {"renewal_date": when.isoformat(), "days": days, "arr_up_for_renewal": arr},
    )


def usage_decline(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    now, before = f.raw("usage", "user_days"), f.raw("usage", "prev_user_days")
    if now is None or not before or (before - now) / before <= t.usage_decline:
        return None
    change = (now - before) / before
    return Firing(
        "usage_decline",
        Severity.medium,
        f"Active user-days down {-change:.0%} vs the 4 weeks before ({before:.0f} → {now:.0f})",
        {"user_days": now, "prev_user_days": before, "change": round(change, 3)},
    )


def inactivity(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    days = f.raw("usage", "days_since_activity")
    if days is None or days < t.inactivity_days:
        return None
    return Firing("inactivity", Severity.high, f"No product activity for {days:.0f} days", {"days": int(days)})


def detractor(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    lowest = f.raw("sentiment", "lowest_nps_30d")
    if lowest is None or lowest > t.detractor_max_score:
        return None
    return Firing(
        "detractor",
        Severity.medium,
        f"NPS detractor in the last 30 days (lowest answer {lowest:.0f})",
        {"lowest_nps": lowest, "detractors": f.raw("sentiment", "detractors_30d")},
    )


def ticket_surge(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    ratio, open_ = f.raw("support", "ticket_volume"), f.raw("support", "open_tickets") or 0
    surging = ratio is not None and ratio >= t.ticket_surge_ratio
    if not surging and open_ < t.ticket_surge_open:
        return None
    reason = f"{ratio:.1f}x the usual ticket volume" if surging else f"{open_:.0f} tickets open"
    return Firing(
        "ticket_surge", Severity.medium, f"Ticket surge: {reason}", {"ticket_volume": ratio, "open_tickets": open_}
    )


def quadrant_down(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    """Open while the account still sits where a recent move toward lower health or usage put it."""
    if f.last_move is None or f.quadrant is None:
        return None
    was, now, on = f.last_move
    if (
        was is None
        or now != f.quadrant
        or move_direction(was, now) != "worse"
        or (f.as_of - on).days > t.quadrant_move_days
    ):
        return None
    severity = Severity.high if (was, now) in WORSE_HIGH or now == Quadrant.churn_risk else Severity.medium
    label = {q: q.value.replace("_", " ") for q in Quadrant}
    return Firing(
        "quadrant_down",
        severity,
        f"Moved from {label[was]} to {label[now]} on {on:%b %-d}",
        {"from": was.value, "to": now.value, "moved_on": on.isoformat()},
    )


def payment_overdue(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    days = f.raw("commercial", "invoice_overdue_days")
    if days is None or days < t.payment_overdue_days:
        return None
    return Firing(
        "payment_overdue",
        Severity.high if days >= 2 * t.payment_overdue_days else Severity.medium,
        f"Invoice {days:.0f} days overdue",
        {"days_overdue": days, "unpaid_invoices": f.raw("commercial", "unpaid_invoices")},
    )


def seat_limit(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    users, limit = f.raw("usage", "active_users"), f.raw("usage", "seat_limit")
    if users is None or not limit or users < t.seat_limit_share * limit:
        return None
    return Firing(
        "seat_limit",
        Severity.low,
        f"{users:.0f} active users on a {limit:.0f}-seat limit ({users / limit:.0%})",
        {"active_users": users, "seat_limit": limit},
    )


def api_limit(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    calls, limit = f.raw("usage", "api_calls"), f.raw("usage", "api_call_limit")
    if calls is None or not limit or calls < t.api_limit_share * limit:
        return None
    return Firing(
        "api_limit",
        Severity.low,
        f"{calls:,.0f} API calls in 4 weeks on a {limit:,.0f} limit ({calls / limit:.0%})",
        {"api_calls": calls, "api_call_limit": limit},
    )


def expansion_ready(f: AccountFacts, t: AlertThresholds) -> Firing | None:
    adoption = f.raw("usage", "feature_adoption")
    if f.health is None or adoption is None or f.health <= t.expansion_health or adoption <= t.expansion_adoption:
        return None
    return Firing(
        "expansion_ready",
        Severity.low,
        f"Expansion ready: health {score(f.health)}, {adoption:.0%} of core features adopted",
        {"health": f.health, "feature_adoption": adoption},
    )


# The rules that point at an expansion, not a risk: the queue ranks them as opportunities and
# precision judges them by a later expansion.
OPPORTUNITY_RULES = frozenset({"expansion_ready", "seat_limit", "api_limit"})

RULES: tuple[Rule, ...] = (
    health_drop,
    critical_ticket,
    renewal,
    usage_decline,
    inactivity,
    detractor,
    ticket_surge,
    quadrant_down,
    payment_overdue,
    seat_limit,
    api_limit,
    expansion_ready,
)


# Every rule name an account-level evaluation owns (renewal has one per milestone).
def rule_names(t: AlertThresholds) -> list[str]:
    names = [r.__name__ for r in RULES if r is not renewal]
    return names + [f"renewal_{m}" for m in sorted(t.renewal_days)]


def evaluate(f: AccountFacts, t: AlertThresholds) -> list[Firing]:
    return [fired for rule in RULES if (fired := rule(f, t)) is not None]
