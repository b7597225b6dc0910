"""dbt's MRR playbook seed (../shared/data/mrr-playbook, MIT): 121 subscription periods of
55 customers. Monthly movements through the API must equal an independent calculation
written here from the same rows: MRR per customer and month (every date in the seed is a
month start), then DESIGN §11's rules month by month (a return after a gap of at most 30
days is bridged: the return is an expansion or contraction against the MRR before it)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from app.core.enums import Role
from app.flows.revenue_rebuild import rebuild_book
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account
from tests.shared_data import shared_data_dir

SEED = shared_data_dir() / "mrr-playbook" / "subscription_periods.csv"


def month_add(d: date, n: int = 1) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


SIGN = {"new": 1, "expansion": 1, "reactivation": 1, "contraction": -1, "churn": -1}


def independent_monthly(rows: list[dict[str, str]], first: date, last: date) -> dict[date, dict[str, Decimal]]:
    """Per month: the flows dated in it, and "start" = ARR before it (the signed sum of every
    earlier movement: during a bridged gap the account still counts with its ARR before)."""
    months = []
    m = first
    while m <= last:
        months.append(m)
        m = month_add(m)
    mrr: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in rows:
        start, end = date.fromisoformat(r["start_date"]), date.fromisoformat(r["end_date"])
        for month in months:
            if start <= month < end:
                mrr[r["customer_id"]][month] += Decimal(r["monthly_amount"])
    moves: list[tuple[date, str, Decimal]] = []
    for by_month in mrr.values():
        prev, ever, gap = Decimal(0), False, None  # gap: (month it opened, MRR before)
        for month in months:
            cur = by_month.get(month, Decimal(0))
            if prev > 0 and cur == 0:
                gap = (month, prev)
            elif prev == 0 and cur > 0:
                if not ever:
                    moves.append((month, "new", 12 * cur))
                elif gap and (month - gap[0]).days <= 30:
                    delta = cur - gap[1]
                    if delta:
                        moves.append((month, "expansion" if delta > 0 else "contraction", 12 * abs(delta)))
                    gap = None
                else:
                    moves.append((gap[0], "churn", 12 * gap[1]))
                    moves.append((month, "reactivation", 12 * cur))
                    gap = None
                ever = True
            elif prev > 0 and cur > 0 and cur != prev:
                moves.append((month, "expansion" if cur > prev else "contraction", 12 * abs(cur - prev)))
            prev = cur
        if gap:
            moves.append((gap[0], "churn", 12 * gap[1]))
    out: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for on, kind, amount in moves:
        out[on][kind] += amount
    for month in months:
        out[month]["start"] = sum((SIGN[k] * a for on, k, a in moves if on < month), Decimal(0))
    return out


@pytest.mark.skipif(not SEED.exists(), reason="shared data set not found")
async def test_monthly_movements_match_an_independent_calculation(client, session):
    with SEED.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 121
    customers = {}
    for r in rows:
        if r["customer_id"] not in customers:
            customers[r["customer_id"]] = await make_account(session, external_id=f"dbt-{r['customer_id']}", arr=0)
        session.add(
            SubscriptionLine(
                source="dbt", source_id=r["subscription_id"], account_id=customers[r["customer_id"]].id,
                product="subscription", quantity=Decimal(1), unit_amount=Decimal(r["monthly_amount"]),
                interval="month", start_date=date.fromisoformat(r["start_date"]),
                end_date=date.fromisoformat(r["end_date"]),
            )
        )  # fmt: skip
    await session.flush()
    await rebuild_book(session)

    first, last = date(2017, 9, 1), date(2020, 1, 1)
    expected = independent_monthly(rows, first, month_add(last))
    headers = await bearer(session, Role.viewer)
    got = (
        await client.get(
            "/api/v1/metrics/retention", params={"from": first.isoformat(), "to": last.isoformat()}, headers=headers
        )
    ).json()["periods"]
    assert len(got) == 29  # Dec 2017 included: nobody was a customer then
    kinds = ("new", "expansion", "contraction", "churn", "reactivation")
    totals = dict.fromkeys(kinds, Decimal(0))
    for p in got:
        month = date.fromisoformat(p["period_start"])
        want = expected[month]
        have = {
            "new": p["new"],
            "expansion": sum(p["expansion"].values()),
            "contraction": p["contraction"],
            "churn": sum(p["churn"].values()),
            "reactivation": p["reactivation"],
        }
        assert have == {k: float(want[k]) for k in kinds}, month
        assert (p["starting_arr"], p["ending_arr"]) == (
            float(want["start"]),
            float(expected[month_add(month)]["start"]),
        ), month
        for k in kinds:
            totals[k] += want[k]
    # the seed exercises every kind, bridged returns included
    assert all(totals[k] > 0 for k in kinds), totals
