"""ARR movements on hand-worked accounts (DESIGN §11)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.revenue.engine import Line, Movement, arr_before, movements

D = Decimal
TODAY = date(2026, 12, 1)


def line(product="core", q=1, unit=100, start=date(2026, 1, 1), end=None, interval="month", reason=None):
    return Line(product, D(q), D(unit), interval, start, end, reason)


def summary(moves: list[Movement]) -> list[tuple[str, str, str | None, Decimal]]:
    return [(m.on.isoformat(), m.kind, m.detail, m.amount) for m in moves]


def test_new_then_a_seat_and_plan_change_on_the_same_day():
    """10 seats x $100/month -> 12 seats x $120/month on Mar 1: ARR 12,000 -> 17,280.
    Seat: 2 extra seats at the old price, 2 x 100 x 12 = 2,400; plan: the rest, 2,880."""
    lines = [
        line(q=10, unit=100, start=date(2026, 1, 1), end=date(2026, 3, 1)),
        line(q=12, unit=120, start=date(2026, 3, 1)),
    ]
    assert summary(movements(lines, TODAY)) == [
        ("2026-01-01", "new", None, D(12000)),
        ("2026-03-01", "expansion", "seat", D(2400)),
        ("2026-03-01", "expansion", "plan", D(2880)),
    ]


def test_cross_sell_and_removing_one_product_is_a_contraction():
    lines = [
        line("core", q=1, unit=1000, start=date(2026, 1, 1)),  # 12,000
        line("api", q=1, unit=6000, start=date(2026, 4, 1), end=date(2026, 9, 1), interval="year"),  # 6,000
    ]
    assert summary(movements(lines, TODAY)) == [
        ("2026-01-01", "new", None, D(12000)),
        ("2026-04-01", "expansion", "cross_sell", D(6000)),
        ("2026-09-01", "contraction", None, D(6000)),
    ]


def test_an_expansion_then_churn_in_one_period():
    lines = [
        line(q=1, unit=100, start=date(2025, 6, 1), end=date(2026, 5, 10)),
        line(q=2, unit=100, start=date(2026, 5, 10), end=date(2026, 5, 20)),
    ]
    moves = movements(lines, TODAY)
    assert summary(moves) == [
        ("2025-06-01", "new", None, D(1200)),
        ("2026-05-10", "expansion", "seat", D(1200)),
        ("2026-05-20", "churn", "voluntary", D(2400)),
    ]
    # May: 1,200 + 1,200 expansion - 2,400 churn = 0
    assert arr_before(moves, date(2026, 5, 1)) == D(1200) and arr_before(moves, date(2026, 6, 1)) == 0


def test_a_cancellation_back_after_20_days_is_bridged():
    """Ends Mar 1, back on Mar 21 at a higher price: no churn, no reactivation; the return is
    an expansion against the ARR before the gap, and ARR never shows the gap."""
    lines = [
        line(q=1, unit=100, start=date(2026, 1, 1), end=date(2026, 3, 1)),
        line(q=1, unit=150, start=date(2026, 3, 21)),
    ]
    moves = movements(lines, TODAY)
    assert summary(moves) == [
        ("2026-01-01", "new", None, D(1200)),
        ("2026-03-21", "expansion", "plan", D(600)),
    ]
    assert arr_before(moves, date(2026, 3, 10)) == D(1200)  # the gap is bridged


def test_a_cancellation_back_after_45_days_is_churn_then_reactivation():
    lines = [
        line(q=1, unit=100, start=date(2026, 1, 1), end=date(2026, 3, 1)),
        line(q=1, unit=100, start=date(2026, 4, 15)),
    ]
    assert summary(movements(lines, TODAY)) == [
        ("2026-01-01", "new", None, D(1200)),
        ("2026-03-01", "churn", "voluntary", D(1200)),
        ("2026-04-15", "reactivation", None, D(1200)),
    ]


def test_the_bridge_is_30_days_inclusive():
    base = line(q=1, unit=100, start=date(2026, 1, 1), end=date(2026, 3, 1))
    back_30 = movements([base, line(q=1, unit=100, start=date(2026, 3, 31))], TODAY)
    back_31 = movements([base, line(q=1, unit=100, start=date(2026, 4, 1))], TODAY)
    assert [m.kind for m in back_30] == ["new"]
    assert [m.kind for m in back_31] == ["new", "churn", "reactivation"]


def test_an_involuntary_churn_and_a_churn_still_open_today():
    unpaid = [line(q=1, unit=100, start=date(2026, 1, 1), end=date(2026, 6, 1), reason="payment_failed")]
    assert summary(movements(unpaid, TODAY)) == [
        ("2026-01-01", "new", None, D(1200)),
        ("2026-06-01", "churn", "involuntary", D(1200)),
    ]
    # ended 10 days ago and not back (yet): a churn on the day it ended, provisional for now
    recent = [line(q=1, unit=100, start=date(2026, 1, 1), end=TODAY - timedelta(days=10))]
    assert summary(movements(recent, TODAY))[-1] == ("2026-11-21", "churn", "voluntary", D(1200))


def test_future_changes_are_not_arr_yet():
    lines = [line(q=1, unit=100, start=date(2026, 1, 1), end=date(2027, 1, 1)), line(start=date(2027, 1, 1))]
    assert summary(movements(lines, TODAY)) == [("2026-01-01", "new", None, D(1200))]


def test_the_identity_holds_for_every_month():
    """start + flows = end for every month over a messy history."""
    lines = [
        line("core", q=5, unit=50, start=date(2025, 2, 3), end=date(2025, 7, 1)),
        line("core", q=7, unit=55, start=date(2025, 7, 1), end=date(2025, 9, 14), reason="payment_failed"),
        line("core", q=7, unit=55, start=date(2025, 10, 1), end=date(2026, 2, 1)),
        line("api", q=1, unit=3000, start=date(2025, 11, 15), interval="year"),
        line("core", q=3, unit=80, start=date(2026, 2, 1), end=date(2026, 3, 5)),
        line("core", q=4, unit=80, start=date(2026, 8, 1)),
    ]
    moves = movements(lines, TODAY)
    month = date(2025, 1, 1)
    while month < TODAY:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        flows = sum((m.signed for m in moves if month <= m.on < nxt), D(0))
        assert arr_before(moves, month) + flows == arr_before(moves, nxt), month
        month = nxt
    # and the ARR is the lines' ARR wherever no gap is being bridged
    assert arr_before(moves, date(2026, 12, 1)) == D(4 * 80 * 12 + 3000)
