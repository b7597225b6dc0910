"""ARR movements of one account from its subscription lines (DESIGN §11).

ARR on day D is the sum over the lines live on D (``start_date <= D < end_date``) of their
annualised amount (monthly amounts x 12, yearly as they are). ARR only changes on the days a
line starts or ends, so the account's history is walked from change day to change day and
every change is classified:

- **new**: the first ARR ever; **reactivation**: ARR back after a confirmed churn;
- **expansion** on an active account, per product: **cross_sell** (a product it did not
  have), **seat** (quantity up on a product: the extra quantity at the old unit price) and
  **plan** (the rest of the product's increase: a higher price or plan);
- **contraction**: a decrease that leaves ARR above zero (a product removed included);
- **churn**: ARR to zero, **involuntary** when a line ending that day ended for a failed
  payment, else **voluntary**.

A gap of at most ``BRIDGE_DAYS`` between ARR reaching zero and coming back is bridged: the
account never left, nothing moves when the gap opens, and the return is an expansion or
contraction against the ARR before the gap. A gap still open today is a churn on the day
it opened (provisional until it is ``BRIDGE_DAYS`` old: it may yet be bridged).

Lines keep their own currency; ARR is in the reporting currency at the day's exchange rate
(``Rates``). A change of rate is its own movement, **fx** (a gain or a loss), never an
expansion or contraction: on a day both lines and rates change, the lines are classified at
the previous day's rate and the rest is fx.

Each movement carries a positive amount; ``SIGN`` (and for fx its detail) says which way it
moves ARR, so the ARR before any day is the signed sum of the movements before it, exactly,
and for every period: start + new + expansion + reactivation - contraction - churn + fx = end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

BRIDGE_DAYS = 30  # the default; the setting ``revenue_bridge_days`` decides
ZERO = Decimal(0)
CENT_FRACTION = Decimal("0.0001")

SIGN = {"new": 1, "expansion": 1, "reactivation": 1, "contraction": -1, "churn": -1}
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Rates:
    """Units of each currency per euro, by the day they take effect (the ECB's quotes); a
    conversion reads the latest on or before the day (the earliest when the day is older)."""

    reporting: str
    per_eur: Mapping[str, Sequence[tuple[date, Decimal]]] = field(default_factory=dict)

    def _on(self, currency: str, day: date) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        quotes = self.per_eur.get(currency)
        if not quotes:
            raise KeyError(f"no exchange rate for {currency}")
        i = bisect_right(quotes, day, key=lambda quote: quote[0])
        return quotes[max(i - 1, 0)][1]

    def to_reporting(self, currency: str | None, day: date) -> Decimal:
        """Units of the reporting currency one unit of ``currency`` is worth on ``day``."""
        if currency is None or currency == self.reporting:
            return Decimal(1)
        return self._on(self.reporting, day) / self._on(currency, day)

    def change_days(self, currencies: Iterable[str | None], after: date, until: date) -> set[date]:
        """Days in ``(after, until]`` a rate that converts one of ``currencies`` changes."""
        foreign = {c for c in currencies if c is not None and c != self.reporting}
        if not foreign:
            return set()
        days: set[date] = set()
        for c in foreign | {self.reporting}:
            days.update(d for d, _ in self.per_eur.get(c, ()) if after < d <= until)
        return days


SAME = Rates(reporting="")  # every line in the reporting currency


@dataclass(frozen=True)
class Line:
    product: str
    quantity: Decimal
    unit_amount: Decimal
    interval: str  # "month" | "year"
    start_date: date
    end_date: date | None
    cancellation_reason: str | None = None
    currency: str | None = None  # None: the reporting currency

    @property
    def arr(self) -> Decimal:
        """Annualised, in the line's own currency."""
        return self.quantity * self.unit_amount * (12 if self.interval == "month" else 1)

    def live_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


@dataclass(frozen=True)
class Movement:
    on: date
    kind: str  # new | expansion | contraction | churn | reactivation
    detail: str | None  # seat | plan | cross_sell (expansion); voluntary | involuntary (churn)
    amount: Decimal  # positive; SIGN[kind] gives the direction
    arr_after: Decimal  # the account's (bridged) ARR after this day's movements

    @property
    def signed(self) -> Decimal:
        if self.kind == "fx":
            return self.amount if self.detail == "gain" else -self.amount
        return SIGN[self.kind] * self.amount


# Per product: (quantity, ARR) of the lines live on a day.
State = dict[str, tuple[Decimal, Decimal]]


def state_on(lines: Iterable[Line], day: date, rates: Rates = SAME, valued: date | None = None) -> State:
    """Per product, the quantity and ARR (in the reporting currency at the rates of ``valued``,
    default ``day``) of the lines live on ``day``."""
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        if line.live_on(day):
            q, arr = out.get(line.product, (ZERO, ZERO))
            out[line.product] = (q + line.quantity, arr + line.arr * rates.to_reporting(line.currency, valued or day))
    return out


def total(state: State) -> Decimal:
    return sum((arr for _, arr in state.values()), ZERO)


def _changes(before: State, after: State) -> list[tuple[str, str | None, Decimal]]:
    """Expansion (seat, plan, cross-sell) and contraction between two live states."""
    out: list[tuple[str, str | None, Decimal]] = []
    grouped: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    contraction = ZERO
    for product in sorted(set(before) | set(after)):
        b_q, b_arr = before.get(product, (ZERO, ZERO))
        a_q, a_arr = after.get(product, (ZERO, ZERO))
        if product not in before or b_arr == 0:
            if a_arr > 0:
                grouped["cross_sell"] += a_arr
            continue
        delta = a_arr - b_arr
        if delta > 0:
            old_unit = b_arr / b_q if b_q > 0 else ZERO
            seat = min(delta, max(a_q - b_q, ZERO) * old_unit).quantize(CENT_FRACTION)
            grouped["seat"] += seat
            grouped["plan"] += delta - seat
        elif delta < 0:
            contraction -= delta
    for detail in ("seat", "plan", "cross_sell"):
        if grouped[detail] > 0:
            out.append(("expansion", detail, grouped[detail]))
    if contraction > 0:
        out.append(("contraction", None, contraction))
    return out


def _fx(day: date, amount: Decimal, after: Decimal) -> list[Movement]:
    amount = amount.quantize(CENT_FRACTION)
    if amount == 0:
        return []
    return [Movement(day, "fx", "gain" if amount > 0 else "loss", abs(amount), after)]


def movements(
    lines: Sequence[Line], today: date, rates: Rates = SAME, bridge_days: int = BRIDGE_DAYS
) -> list[Movement]:
    """Every movement of one account up to ``today`` (changes after today are not ARR yet);
    a return within ``bridge_days`` of ARR reaching zero is bridged."""
    first = min((line.start_date for line in lines), default=today)
    days = sorted(
        {line.start_date for line in lines if line.start_date <= today}
        | {line.end_date for line in lines if line.end_date is not None and line.end_date <= today}
        | rates.change_days((line.currency for line in lines), first, today)
    )
    out: list[Movement] = []
    previous: State = {}
    ever_live = False
    gap: tuple[date, Decimal, str] | None = None  # (day ARR reached zero, ARR before, churn detail)

    for day in days:
        # the day's lines at yesterday's rates (what the lines did), then at today's (what fx did)
        current = state_on(lines, day, rates, day - DAY)
        at_today = state_on(lines, day, rates)
        before, after_old, after = total(previous), total(current), total(at_today)
        if before > 0 and after_old == 0:
            ended_unpaid = any(
                line.end_date == day and (line.cancellation_reason or "").lower() == "payment_failed" for line in lines
            )
            gap = (day, before, "involuntary" if ended_unpaid else "voluntary")
        elif before == 0 and after_old > 0:
            if not ever_live:
                out.append(Movement(day, "new", None, after, after))
            elif gap is not None and (day - gap[0]).days <= bridge_days:
                # bridged: the account never left; compare with the lines before the gap
                pre_gap = state_on(lines, gap[0] - DAY, rates, day - DAY)
                changes = _changes(pre_gap, current)
                out.extend(Movement(day, kind, detail, amount, after) for kind, detail, amount in changes)
                # rates that moved during the gap and today are fx
                out.extend(_fx(day, (total(pre_gap) - gap[1]) + (after - after_old), after))
                gap = None
            else:
                if gap is not None:
                    out.append(Movement(gap[0], "churn", gap[2], gap[1], ZERO))
                    gap = None
                out.append(Movement(day, "reactivation", None, after, after))
            ever_live = True
        elif before > 0 and after_old > 0:
            out.extend(
                Movement(day, kind, detail, amount, after) for kind, detail, amount in _changes(previous, current)
            )
            out.extend(_fx(day, after - after_old, after))
        previous = at_today
    if gap is not None:
        out.append(Movement(gap[0], "churn", gap[2], gap[1], ZERO))
    return out


def arr_before(moves: Iterable[Movement], day: date) -> Decimal:
    """The account's (bridged) ARR at the start of ``day``."""
    return sum((m.signed for m in moves if m.on < day), ZERO)


def status_on(moves: Sequence[Movement], today: date, bridge_days: int = BRIDGE_DAYS) -> str:
    """An account's status from its movements: ``churned`` once its ARR reached zero and the
    gap can no longer be bridged (more than ``BRIDGE_DAYS`` ago), ``active`` otherwise (a gap
    still open inside the bridge may close: the account has not left yet)."""
    last = moves[-1] if moves else None
    if last is not None and last.kind == "churn" and (today - last.on).days > bridge_days:
        return "churned"
    return "active"
