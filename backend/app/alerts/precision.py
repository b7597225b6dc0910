"""Alert precision: for each account rule, the share of its firings that were followed, within
90 days, by what the rule warns about.

Real alerts of a new install are all recent, so the rules are back-tested on the book's
health history: every snapshot dated from a year before the last judgeable day (90 days ago)
up to it is evaluated with the active thresholds and the facts as they were on its date. A
firing counts at its onset only (the rule fires on a snapshot and did not on the account's
previous one), so a condition lasting ten weeks counts once.

Followed, within (onset, onset + 90 days]: for a risk rule, the account churned or contracted
(an ARR movement of that kind) or its health fell at least ``health_drop_points`` below its
health at the onset (on any snapshot in those days); for an opportunity rule, it expanded.

The base rate is the same question asked of every snapshot in the window, fired or not; a
rule's lift is its precision over the base rate of its kind (1: it knows no more than chance).

A report costs seconds on a big book: it is cached per process for the day and config version.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts import repository as repo
from app.alerts.rules import OPPORTUNITY_RULES, AccountFacts, AlertThresholds, evaluate, rule_names
from app.alerts.schemas import AlertPrecision, RulePrecision
from app.core.enums import Quadrant
from app.core.models import utcnow

FOLLOW_DAYS = 90  # how long after a firing its outcome is looked for
LOOKBACK_DAYS = 365  # firings judged: on snapshots this many days before the last judgeable day
CHUNK = 2000  # accounts read and evaluated at a time (bounds memory on a big book)


def kind_of(rule: str) -> Literal["risk", "opportunity"]:
    return "opportunity" if rule in OPPORTUNITY_RULES else "risk"


@dataclass
class Tally:
    """One rule's onsets and what followed them."""

    firings: int = 0
    followed: int = 0
    churned: int = 0
    contracted: int = 0
    health_dropped: int = 0


def facts_of(row: Any) -> AccountFacts:
    """What the rules read about an account on a snapshot's date, from a
    ``repository.BACKTEST_SNAPSHOTS`` row."""
    return AccountFacts(
        account_id=row.account_id,
        name="",
        as_of=row.as_of,
        inputs=row.inputs or {},
        health=row.health_score,
        health_before=row.health_before,
        quadrant=Quadrant(row.quadrant) if row.quadrant else None,
        last_move=(
            (Quadrant(row.from_quadrant) if row.from_quadrant else None, Quadrant(row.to_quadrant), row.moved_on)
            if row.to_quadrant
            else None
        ),
        next_renewal=(row.renewal_date, float(row.arr_up_for_renewal or 0)) if row.renewal_date else None,
    )


def outcomes(row: Any, drop_points: float) -> tuple[bool, bool, bool, bool]:
    """What followed a snapshot: (churned, contracted, health dropped, expanded)."""
    kinds = set(row.kinds_after)
    dropped = (
        row.health_score is not None
        and row.lowest_after is not None
        and row.lowest_after <= row.health_score - drop_points
    )
    return "churn" in kinds, "contraction" in kinds, dropped, "expansion" in kinds


def count_firing(rule: str, row: Any, drop_points: float, tally: Tally) -> None:
    """One firing of ``rule`` on ``row`` and whether what it warns about followed."""
    tally.firings += 1
    churned, contracted, dropped, expanded = outcomes(row, drop_points)
    if rule in OPPORTUNITY_RULES:
        tally.followed += expanded
        return
    tally.churned += churned
    tally.contracted += contracted
    tally.health_dropped += dropped
    tally.followed += churned or contracted or dropped


# The base rates' tallies: every snapshot of the window, fired or not.
BASE_RISK, BASE_OPPORTUNITY = "*risk", "*opportunity"


def judge_account(rows: Sequence[Any], start: date, thresholds: AlertThresholds, tallies: dict[str, Tally]) -> int:
    """Add one account's onsets from ``start`` on and what followed them to ``tallies``, and
    every snapshot of the window to the base rates (``BASE_RISK``, ``BASE_OPPORTUNITY``).

    ``rows`` are its snapshots in date order: the one before ``start`` (if any), then those
    of the window. Returns how many snapshots of the window were judged.
    """
    before: set[str] = set()
    judged = 0
    for row in rows:
        fired = {f.rule for f in evaluate(facts_of(row), thresholds)}
        if row.as_of >= start:
            judged += 1
            churned, contracted, dropped, expanded = outcomes(row, thresholds.health_drop_points)
            base_risk = tallies.setdefault(BASE_RISK, Tally())
            base_risk.firings += 1
            base_risk.followed += churned or contracted or dropped
            base_opportunity = tallies.setdefault(BASE_OPPORTUNITY, Tally())
            base_opportunity.firings += 1
            base_opportunity.followed += expanded
            for rule in fired - before:
                count_firing(rule, row, thresholds.health_drop_points, tallies.setdefault(rule, Tally()))
        before = fired
    return judged


async def compute(session: AsyncSession, today: date, version: int, thresholds: AlertThresholds) -> AlertPrecision:
    """The report for ``today`` with these thresholds (no cache)."""
    end = today - timedelta(days=FOLLOW_DAYS)
    start = end - timedelta(days=LOOKBACK_DAYS)
    tallies: dict[str, Tally] = {}
    ids = await repo.backtest_accounts(session, start, end)
    snapshots = 0
    for at in range(0, len(ids), CHUNK):
        accounts = repo.backtest_snapshots(
            session,
            ids[at : at + CHUNK],
            start=start,
            end=end,
            until=today,
            drop_days=thresholds.health_drop_days,
            follow_days=FOLLOW_DAYS,
        )
        async for rows in accounts:
            snapshots += judge_account(rows, start, thresholds, tallies)
    base = {kind: tallies.pop(key, Tally()) for kind, key in (("risk", BASE_RISK), ("opportunity", BASE_OPPORTUNITY))}
    rates = {kind: t.followed / t.firings if t.firings else None for kind, t in base.items()}
    names = rule_names(thresholds)
    names += sorted(set(tallies) - set(names))
    return AlertPrecision(
        as_of=today,
        window_start=start,
        window_end=end,
        follow_days=FOLLOW_DAYS,
        config_version=version,
        health_drop_points=thresholds.health_drop_points,
        accounts=len(ids),
        snapshots=snapshots,
        computed_at=utcnow(),
        base_rate_risk=_rounded(rates["risk"]),
        base_rate_opportunity=_rounded(rates["opportunity"]),
        rules=[rule_report(name, tallies.get(name, Tally()), rates[kind_of(name)]) for name in names],
    )


def _rounded(rate: float | None) -> float | None:
    return round(rate, 4) if rate is not None else None


def rule_report(rule: str, tally: Tally, base_rate: float | None = None) -> RulePrecision:
    risk = rule not in OPPORTUNITY_RULES
    precision = tally.followed / tally.firings if tally.firings else None
    return RulePrecision(
        rule=rule,
        kind=kind_of(rule),
        firings=tally.firings,
        followed=tally.followed,
        precision=_rounded(precision),
        lift=round(precision / base_rate, 2) if precision is not None and base_rate else None,
        churned=tally.churned if risk else None,
        contracted=tally.contracted if risk else None,
        health_dropped=tally.health_dropped if risk else None,
    )


# -- the per-process cache ------------------------------------------------------------------

_cache: dict[tuple[date, int], AlertPrecision] = {}
# One computation at a time per event loop: requests arriving meanwhile wait for its result.
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def clear_cache() -> None:
    _cache.clear()


async def report(session: AsyncSession) -> AlertPrecision:
    """Today's report for the active config version: cached, else computed now."""
    version, thresholds = await repo.active_thresholds(session)
    key = (utcnow().date(), version)
    if (hit := _cache.get(key)) is not None:
        return hit
    lock = _locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock:
        if (hit := _cache.get(key)) is not None:
            return hit
        result = await compute(session, key[0], version, thresholds)
        _cache.clear()  # an earlier day's or version's report is not asked for again
        _cache[key] = result
        return result
