"""The digest's seven leadership metrics equal /metrics/summary's, and their week-over-week
changes are worked out by hand on a small book dated from today (T):

| account | lines                                              | movements                          |
| A       | $1,000/mo from S                                   | new 12,000 on S                    |
| B       | $500/mo from S; api $500/mo from T                 | new 6,000 on S; cross-sell 6,000 T |
| C       | $250/mo from S, ends T                             | new 3,000 on S; churn 3,000 on T   |
| E       | $100/mo from S, ends M-3                           | new 1,200 on S; churn 1,200 on M-3 |

S is the first of the month 15 months before this one (M), M-3 three months before it.
A week ago (D = T - 7) the to-date figures read the start of D's month (M_D), when A, B and C
had ARR: 21,000; the ttm period ending there started with A, B, C and E (22,200) and ended
with 21,000. Today: ARR 24,000; the twelve months to date started with 22,200 and end with
24,000 (GRR counts B at its starting 6,000: 18,000). Revenue churn: 1,200 lost in month M-3 of
22,200, the only loss in the last 12 full months both today and a week ago; no logo churn and
no expansion in either last full month. Net new ARR, existing customers, last 30 days: today
+6,000 - 3,000; a week ago nothing moved in its 30 days.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.core.enums import Role
from app.flows import weekly_digest
from app.flows.revenue_rebuild import rebuild_book
from app.reports import digest as render
from app.reports import format as fmt
from app.revenue.metrics import add_months
from app.revenue.models import SubscriptionLine
from app.scoring.service import today
from tests.factories import bearer, make_account


async def hand_book(session) -> dict[str, date]:
    t = today()
    m = t.replace(day=1)
    s = add_months(m, -15)
    n = 0

    async def account(name, *lines):
        nonlocal n
        a = await make_account(session, name=name, arr=0)
        for product, unit, start, end in lines:
            n += 1
            session.add(
                SubscriptionLine(
                    source_id=f"d-{n}", account_id=a.id, product=product, quantity=Decimal(1),
                    unit_amount=Decimal(unit), interval="month", start_date=start, end_date=end,
                )
            )  # fmt: skip
        return a

    await account("A", ("core", 1000, s, None))
    await account("B", ("core", 500, s, None), ("api", 500, t, None))
    await account("C", ("core", 250, s, t))
    await account("E", ("core", 100, s, add_months(m, -3)))
    await session.flush()
    await rebuild_book(session)
    d = t - timedelta(days=7)
    return {"t": t, "d": d, "m_d": d.replace(day=1)}


async def test_the_seven_metrics_and_their_week_over_week_change(client, session):
    days = await hand_book(session)
    headers = await bearer(session, Role.leader)
    digest = (await client.get("/api/v1/digest/preview", params={"format": "json"}, headers=headers)).json()
    got = {m["key"]: m for m in digest["metrics"]}
    assert [m["label"] for m in digest["metrics"]] == [
        "ARR", "NRR (TTM)", "GRR (TTM)", "Logo churn (monthly)", "Revenue churn (monthly)",
        "Expansion ARR (monthly)", "Net new ARR, existing customers",
    ]  # fmt: skip

    def check(key, value, previous, compared_on):
        m = got[key]
        assert (m["value"], m["previous"], m["compared_on"]) == (
            pytest.approx(value),
            pytest.approx(previous),
            compared_on.isoformat(),
        ), key
        assert m["change"] == pytest.approx(value - previous), key

    m_d, d = days["m_d"], days["d"]
    check("arr", 24_000, 21_000, m_d)
    check("nrr", 24_000 / 22_200, 21_000 / 22_200, m_d)
    check("grr", 18_000 / 22_200, 21_000 / 22_200, m_d)
    check("logo_churn", 0.0, 0.0, d)
    check("revenue_churn", 1_200 / 22_200 / 12, 1_200 / 22_200 / 12, d)
    check("expansion", 0.0, 0.0, d)
    check("net_new", 3_000, 0.0, d)
    assert got["arr"]["period"] == "today" and got["net_new"]["period"] == "last 30 days"

    # the same figures as the Leadership page's summary
    summary = (await client.get("/api/v1/metrics/summary", headers=headers)).json()
    last_full = add_months(days["t"].replace(day=1), -1).isoformat()
    expansion = next(p["expansion"] for p in summary["series"] if p["month"] == last_full)
    assert [got[k]["value"] for k in got] == [
        summary["arr"], summary["nrr_ttm"], summary["grr_ttm"], summary["logo_churn_monthly"],
        summary["revenue_churn_monthly"], expansion, summary["net_new_arr_existing"]["last_30_days"],
    ]  # fmt: skip
    assert summary["to_date_on"] == days["t"].isoformat()
    # the digest's charts read the summary's 18 months
    assert [(p["month"], p["arr"]) for p in digest["series"]] == [(p["month"], p["arr"]) for p in summary["series"]]


async def test_a_summary_as_of_a_past_day(session):
    """``metrics.summary(session, day)``: exact over full months and day windows, figures to
    date from the start of the day's month."""
    from app.revenue import metrics

    days = await hand_book(session)
    before = await metrics.summary(session, days["d"])
    assert (before.as_of, before.to_date_on) == (days["d"], days["m_d"])
    assert (before.arr, before.customers) == (21_000, 3)
    assert (before.nrr_ttm, before.grr_ttm) == (pytest.approx(21_000 / 22_200), pytest.approx(21_000 / 22_200))
    assert before.net_new_arr_existing.last_30_days == 0
    assert before.revenue_churn_monthly == pytest.approx(1_200 / 22_200 / 12)
    now = await metrics.summary(session)
    assert (now.as_of, now.to_date_on, now.arr, now.customers) == (days["t"], days["t"], 24_000, 2)


def _row(html: str, key: str) -> str:
    found = re.search(rf'<tr data-metric="{key}">(.*?)</tr>', html, re.S)
    assert found, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


async def test_the_email_shows_the_figures_and_their_changes(session):
    days = await hand_book(session)
    digest = await weekly_digest.build(session)
    html = render.html(digest, render.cid_sources())
    since, week_ago = fmt.short_day(days["m_d"]), fmt.short_day(days["d"])
    assert _row(html, "arr") == f"ARR today $24K ▲ +$3K (+14.3%) vs {since}"
    assert _row(html, "nrr") == f"NRR (TTM) twelve months to date 108.1% ▲ +13.5 pts vs {since}"
    assert _row(html, "grr") == f"GRR (TTM) twelve months to date 81.1% ▼ \u221213.5 pts vs {since}"
    assert _row(html, "revenue_churn") == (
        f"Revenue churn (monthly) mean of the last 12 full months 0.45% no change vs {week_ago}"
    )
    assert _row(html, "net_new") == f"Net new ARR, existing customers last 30 days +$3K ▲ +$3K vs {week_ago}"
    assert re.findall(r'src="(cid:[^"]+)"', html)[:2] == ["cid:arr-chart@tempo", "cid:retention-chart@tempo"]
    text = render.text(digest)
    assert f"  ARR: $24K (today) — ▲ +$3K (+14.3%) vs {since}" in text.splitlines()
    m0 = days["t"].replace(day=1)
    # the last full month is provisional while it ended less than 30 days ago (a churn may yet be bridged)
    last_full = fmt.month(m0 - timedelta(days=1)) + (" · provisional" if m0 > days["t"] - timedelta(days=30) else "")
    assert f"  Logo churn (monthly): 0.0% ({last_full}) — no change vs {week_ago}" in text.splitlines()
