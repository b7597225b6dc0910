"""The commercial history of every account: subscription lines, invoices and renewals.

Each account bills on monthly anniversaries of its contract start. At every anniversary
inside the window a *decision* is drawn (vectorised over all accounts) from the latent
states; annual contracts renew every 12th anniversary and can only expand in between,
monthly contracts can change at any anniversary. A short per-account walk then applies
the decisions in order, which is where state lives (which products the account has, its
seats and plan, whether it is live) and where subscription lines, invoices and renewal
records are written. Churned accounts may come back: quickly after a failed payment is
fixed (a gap of at most 30 days, which revenue metrics bridge) or months later (win-back).

Outcome model (DESIGN section 17), per annual renewal, from the 90-day mean latent states
``e`` (engagement) and ``s`` (satisfaction) before the renewal date:
``P(churn) = CHURN_BASE[segment] * exp(-CHURN_E * e - CHURN_S * s)`` (month-to-month
contracts get the same shape as a monthly hazard). Classifying renewals by the quadrant
their latent state implied 90 days earlier (``outcomes``), a 20,000-account book shows
frustrated power users churning ~2.1x as often as champions, relationship-dependent
accounts ~3.2x and churn risk ~5.6x (pooled over seeds 1-6); champions expand most
(seats, plan, cross-sell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.demo import accounts as acc
from app.demo import catalog as cat
from app.demo.latent import Latent, sigmoid
from app.demo.timeline import Timeline, add_months

NONE, CHURN, PAYFAIL, CONTRACT_SEATS, CONTRACT_ADDON, EXPAND_SEATS, EXPAND_PLAN, CROSS_SELL = range(8)

CHURN_BASE = np.array([0.11, 0.085, 0.06])  # annual renewal churn at e = s = 0, by segment
MONTHLY_CHURN_BASE = 0.23  # annualised, for month-to-month contracts
CHURN_E = 1.10
CHURN_S = 0.28
LOOKBACK_DAYS = 90
# How an invoice ends up: paid per the account's payment habits, failed (uncollectible),
# or still in dunning at the end of the window (unpaid, overdue).
INVOICE_NORMAL, INVOICE_FAILED, INVOICE_DUNNING = range(3)


@dataclass
class Commercial:
    """Subscription lines, invoices, renewals and the daily commercial state they imply."""

    lines: dict[str, list[Any]]  # columns: account, product, plan, quantity, unit, monthly, start, end, reason
    invoices: dict[str, list[Any]]  # account, t, amount, state (INVOICE_* below)
    renewals: dict[str, list[Any]]  # account, t, arr_before, arr_after, closed_t
    cycle_start: np.ndarray  # contract start of the current relationship (day index)
    live: np.ndarray = field(repr=False)  # (n, T) bool
    seats: np.ndarray = field(repr=False)  # (n, T) int32, Platform quantity while live
    plan: np.ndarray = field(repr=False)  # (n, T) int8, Platform plan (last known when not live)
    addons: np.ndarray = field(repr=False)  # (n, T) uint8 bitmask of add-ons while live


def checkpoint_grid(timeline: Timeline, start_t: np.ndarray, width: int) -> tuple[np.ndarray, ...]:
    """Monthly anniversaries of ``start_t`` that fall inside the window.

    Returns (t, k, valid), each (m, width): day index, months since the start, in-window flag.
    """
    start = np.datetime64(timeline.start, "D") + start_t.astype("timedelta64[D]")
    base_month = start.astype("datetime64[M]")
    dom = (start - base_month.astype("datetime64[D]")).astype(np.int64) + 1
    window_month = np.datetime64(timeline.start, "M")
    k0 = np.maximum(1, (window_month - base_month).astype(np.int64) - 1)
    k = k0[:, None] + np.arange(width)[None, :]
    month = base_month[:, None] + k.astype("timedelta64[M]")
    month_len = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
    day = month.astype("datetime64[D]") + (np.minimum(dom[:, None], month_len) - 1).astype("timedelta64[D]")
    t = (day - np.datetime64(timeline.start, "D")).astype(np.int64)
    valid = (t >= 0) & (t < timeline.days)
    return t, k, valid


def decide(
    rng: np.random.Generator,
    frame: acc.AccountFrame,
    latent: Latent,
    account: np.ndarray,
    t: np.ndarray,
    k: np.ndarray,
) -> np.ndarray:
    """Decision code for each (account, anniversary), assuming the account is live then."""
    m, width = t.shape
    monthly = frame.monthly[account][:, None]
    renewal = monthly | (k % 12 == 0)
    seg = frame.segment[account][:, None]
    cols = np.clip(t, -latent.offset, latent.engagement.shape[1] - latent.offset - 1)
    e_now = latent.engagement[account[:, None], cols + latent.offset]
    s_now = latent.satisfaction[account[:, None], cols + latent.offset]
    e90 = latent.mean_before(latent.engagement, account, cols, LOOKBACK_DAYS)
    s90 = latent.mean_before(latent.satisfaction, account, cols, LOOKBACK_DAYS)
    risk = np.exp(-CHURN_E * e90 - CHURN_S * s90)
    p_churn_year = np.where(monthly, MONTHLY_CHURN_BASE, CHURN_BASE[seg]) * risk
    p_churn = np.where(monthly, 1 - (1 - np.minimum(p_churn_year, 0.95)) ** (1 / 12), np.minimum(p_churn_year, 0.9))
    p_pay = np.where(monthly, 0.004 * np.exp(-0.6 * s_now), 0.010 * np.exp(-0.6 * s90))
    p_con = sigmoid(-2.3 - 1.4 * e90 - 0.3 * s90) / np.where(monthly, 8.0, 1.0)
    p_exp = np.where(
        renewal & ~monthly, sigmoid(-1.0 + 1.3 * e90 + 0.9 * s90), sigmoid(-3.6 + 1.4 * e_now + 0.8 * s_now)
    )
    u, u_exp, u_kind = rng.random((3, m, width))
    code = np.full((m, width), NONE, dtype=np.int8)
    expand_kind = np.select([u_kind < 0.25 + 0.1 * (s90 > 0.5), u_kind < 0.55], [EXPAND_PLAN, CROSS_SELL], EXPAND_SEATS)
    code[u_exp < p_exp] = expand_kind[u_exp < p_exp]
    contract = renewal & (u < p_pay + p_churn + p_con)
    code[contract] = np.where(u_kind < 0.3, CONTRACT_ADDON, CONTRACT_SEATS)[contract]
    code[renewal & (u < p_pay + p_churn)] = CHURN
    code[renewal & (u < p_pay)] = PAYFAIL
    return code


def _script(frame: acc.AccountFrame, account: int, t: np.ndarray, k: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Forced decisions for storyline accounts (see ``accounts.STORIES``)."""
    code = np.full(t.shape, NONE, dtype=np.int8)
    story = int(frame.story[account])

    def first(cond: np.ndarray) -> int:
        hits = np.flatnonzero(cond & valid)
        return int(hits[0]) if hits.size else -1

    renew = k % 12 == 0
    plan = {
        acc.STORY_QUICK_RETURN: [(t >= 90, PAYFAIL)],
        acc.STORY_PAYMENT_LOST: [(t >= 150, PAYFAIL)],
        acc.STORY_WINBACK: [(renew, CHURN)],
        acc.STORY_GROWTH: [(~renew & (t >= 30), EXPAND_SEATS), (~renew & (t >= 120), CROSS_SELL), (renew, EXPAND_PLAN)],
        acc.STORY_DOWNSIZE: [(t >= 60, CONTRACT_SEATS), (t >= 150, CONTRACT_ADDON)],
    }[story]
    for cond, what in plan:
        j = first(cond & (code == NONE))
        if j >= 0:
            code[j] = what
    return code


class _Simulator:
    """Applies the decisions account by account and writes lines, invoices and renewals."""

    def __init__(self, rng: np.random.Generator, frame: acc.AccountFrame, latent: Latent, timeline: Timeline):
        self.rng, self.frame, self.latent, self.timeline = rng, frame, latent, timeline
        self.width = (timeline.days + 31) // 28 + 2
        self.lines: dict[str, list[Any]] = {
            c: [] for c in ("account", "product", "plan", "quantity", "unit", "monthly", "start", "end", "reason")
        }
        self.invoices: dict[str, list[Any]] = {c: [] for c in ("account", "t", "amount", "state")}
        self.renewals: dict[str, list[Any]] = {c: [] for c in ("account", "t", "arr_before", "arr_after", "closed_t")}
        self.cycle_start = frame.t_contract.copy()
        self.open: dict[int, list[Any]] = {}  # product -> [plan, quantity, unit, start]
        self.last_config: dict[int, tuple[int, int]] = {}  # products before the last churn
        self.a = 0

    # -- line bookkeeping -------------------------------------------------------------
    def unit_price(self, product: int, plan: int) -> float:
        a = self.a
        factor = 1.0 if self.frame.monthly[a] else 12 * cat.ANNUAL_DISCOUNT
        if product == 0:
            base = cat.SEAT_PRICE_MONTH[plan]
        else:
            base = cat.ADDON_PRICE_MONTH[int(self.frame.segment[a])][product - 1]
        return round(base * factor * (1.0 - float(self.frame.discount[a])), 2)

    def start_line(self, product: int, plan: int, quantity: int, t: int) -> None:
        self.open[product] = [plan, quantity, self.unit_price(product, plan), t]

    def end_line(self, product: int, t: int, reason: str | None) -> None:
        plan, quantity, unit, start = self.open.pop(product)
        self._emit(product, plan, quantity, unit, start, t, reason)

    def _emit(
        self, product: int, plan: int, quantity: int, unit: float, start: int, end: int | None, reason: str | None
    ) -> None:
        row = (self.a, product, plan, quantity, unit, bool(self.frame.monthly[self.a]), start, end, reason)
        for column, value in zip(self.lines, row, strict=True):
            self.lines[column].append(value)

    def arr(self) -> float:
        months = 12 if self.frame.monthly[self.a] else 1
        return float(sum(q * u * months for _, q, u, _ in self.open.values()))

    def period_amount(self) -> float:
        return float(sum(q * u for _, q, u, _ in self.open.values()))

    def invoice(self, t: int, amount: float, state: int = INVOICE_NORMAL) -> None:
        if t >= 0 and amount > 0:
            for column, value in zip(self.invoices, (self.a, t, round(amount, 2), state), strict=True):
                self.invoices[column].append(value)

    # -- decisions --------------------------------------------------------------------
    def change_seats(self, t: int, up: bool) -> None:
        plan, quantity, _, _ = self.open[0]
        factor = self.rng.uniform(1.1, 1.45) if up else self.rng.uniform(0.6, 0.88)
        new = int(np.ceil(quantity * factor)) if up else int(np.floor(quantity * factor))
        cap = max(quantity, cat.SEATS_CAP[int(self.frame.segment[self.a])])
        new = min(max(new, quantity + 1), cap) if up else max(3, new)
        if new != quantity:
            self.end_line(0, t, None)
            self.start_line(0, plan, new, t)

    def upgrade_plan(self, t: int) -> None:
        plan, quantity, _, _ = self.open[0]
        if plan >= cat.TOP_PLAN[int(self.frame.segment[self.a])]:
            self.change_seats(t, up=True)
            return
        self.end_line(0, t, None)
        self.start_line(0, plan + 1, quantity, t)

    def cross_sell(self, t: int) -> None:
        missing = [p for p in range(1, len(cat.ADDONS) + 1) if p not in self.open]
        if not missing:
            self.change_seats(t, up=True)
            return
        self.start_line(int(missing[int(self.rng.integers(len(missing)))]), 0, 1, t)

    def drop_addon(self, t: int) -> None:
        owned = sorted(p for p in self.open if p > 0)
        if not owned:
            self.change_seats(t, up=False)
            return
        self.end_line(owned[int(self.rng.integers(len(owned)))], t, cat.DOWNGRADE)

    def churn(self, t: int, reason: str) -> None:
        self.last_config = {p: (v[0], v[1]) for p, v in self.open.items()}
        for product in sorted(self.open):
            self.end_line(product, t, reason)

    def churn_reason(self, t: int) -> str:
        col = t + self.latent.offset
        e = float(self.latent.engagement[self.a, col])
        s = float(self.latent.satisfaction[self.a, col])
        if e < -0.3 and e < s:
            options = cat.VOLUNTARY_REASONS_LOW_USAGE
        elif s < -0.3:
            options = cat.VOLUNTARY_REASONS_LOW_HEALTH
        else:
            options = cat.VOLUNTARY_REASONS_OTHER
        return options[int(self.rng.integers(len(options)))]

    def change(self, code: int, t: int) -> None:
        """A contraction or expansion decided at ``t`` (``NONE`` changes nothing)."""
        if code == CONTRACT_SEATS:
            self.change_seats(t, up=False)
        elif code == CONTRACT_ADDON:
            self.drop_addon(t)
        elif code == EXPAND_SEATS:
            self.change_seats(t, up=True)
        elif code == EXPAND_PLAN:
            self.upgrade_plan(t)
        elif code == CROSS_SELL:
            self.cross_sell(t)

    # -- one account ------------------------------------------------------------------
    def apply(self, code: int, t: int, renewal: bool) -> int | None:
        """Apply one decision at anniversary ``t``; returns the day lines ended if the account left."""
        monthly = bool(self.frame.monthly[self.a])
        arr_before = self.arr()
        if code == PAYFAIL:
            end = t + int(self.rng.integers(14, 22)) if monthly else t
            still_dunning = end >= self.timeline.days
            self.invoice(t, self.period_amount(), INVOICE_DUNNING if still_dunning else INVOICE_FAILED)
            if still_dunning:
                return None
            self.churn(end, cat.PAYMENT_FAILED)
            return end
        if code == CHURN:
            self.churn(t, self.churn_reason(t))
            return t
        if monthly or renewal or code in (EXPAND_SEATS, EXPAND_PLAN, CROSS_SELL):
            self.change(code, t)
        if monthly or renewal:
            self.invoice(t, self.period_amount())
        elif self.arr() > arr_before:  # mid-term expansion of an annual contract: prorated
            days_left = 365 - (t - int(self.cycle_start[self.a])) % 365
            self.invoice(t, (self.arr() - arr_before) * days_left / 365)
        return None

    def run_cycle(self, t_row: list[int], k_row: list[int], valid: list[bool], codes: list[int]) -> int | None:
        monthly = bool(self.frame.monthly[self.a])
        for t, k, ok, code in zip(t_row, k_row, valid, codes, strict=True):
            if not ok or t <= int(self.cycle_start[self.a]):
                continue
            renewal = not monthly and k % 12 == 0
            before = self.arr()
            stopped = self.apply(code, t, renewal)
            if renewal:
                lead = self.rng.uniform(0, 20 if self.arr() == 0 else 35)
                for column, value in zip(self.renewals, (self.a, t, before, self.arr(), t - lead), strict=True):
                    self.renewals[column].append(value)
            if stopped is not None:
                return stopped
        return None

    def comeback(self, stopped: int, involuntary: bool) -> int | None:
        """Day the account starts paying again after leaving on ``stopped``, if it does."""
        story = int(self.frame.story[self.a])
        gap: int | None = None
        if story in (acc.STORY_QUICK_RETURN, acc.STORY_WINBACK):
            gap = 10 if story == acc.STORY_QUICK_RETURN else 100
        elif story != acc.STORY_PAYMENT_LOST:
            u = self.rng.random()
            if involuntary:
                gap = (
                    int(self.rng.integers(3, 29)) if u < 0.45 else int(self.rng.integers(45, 200)) if u < 0.55 else None
                )
            elif u < 0.07:
                gap = int(self.rng.integers(60, 300))
        if gap is None or stopped + gap >= self.timeline.days - 14:
            return None
        return stopped + gap

    def reopen(self, back: int, config: dict[int, tuple[int, int]], quick: bool) -> None:
        plan, quantity = config[0]
        if not quick:
            quantity = max(3, int(quantity * self.rng.uniform(0.6, 1.0)))
            self.latent.boost(self.a, back, 0.8, 0.7)
        self.start_line(0, plan, quantity, back)
        for product, (addon_plan, addon_quantity) in sorted(config.items()):
            if product and quick:
                self.start_line(product, addon_plan, addon_quantity, back)
        self.cycle_start[self.a] = back
        self.invoice(back, self.period_amount())

    def walk(self, a: int, grid: tuple[list[int], list[int], list[bool]], codes: list[int]) -> None:
        self.a, self.open = a, {}
        start = int(self.frame.t_contract[a])
        self.start_line(0, int(self.frame.plan0[a]), int(self.frame.seats0[a]), start)
        for i in np.flatnonzero(self.frame.addons0[a]).tolist():
            self.start_line(i + 1, 0, 1, start)
        self.invoice(start, self.period_amount())
        while True:
            stopped = self.run_cycle(*grid, codes)
            if stopped is None:
                break
            involuntary = self.lines["reason"][-1] == cat.PAYMENT_FAILED
            back = self.comeback(stopped, involuntary)
            if back is None:
                break
            self.reopen(back, self.last_config, quick=involuntary and back - stopped <= 30)
            t, k, valid = checkpoint_grid(self.timeline, np.array([back]), self.width)
            codes = decide(self.rng, self.frame, self.latent, np.array([a]), t, k)[0].tolist()
            grid = (t[0].tolist(), k[0].tolist(), valid[0].tolist())
        for product in sorted(self.open):
            plan, quantity, unit, line_start = self.open[product]
            self._emit(product, plan, quantity, unit, line_start, None, None)

    # -- the whole book ---------------------------------------------------------------
    def run(self) -> Commercial:
        frame = self.frame
        t, k, valid = checkpoint_grid(self.timeline, frame.t_contract, self.width)
        codes = decide(self.rng, frame, self.latent, np.arange(frame.n), t, k)
        for a in np.flatnonzero(frame.story).tolist():
            codes[a] = _script(frame, a, t[a], k[a], valid[a])
        t_rows, k_rows, valid_rows, code_rows = t.tolist(), k.tolist(), valid.tolist(), codes.tolist()
        for a in range(frame.n):
            self.walk(a, (t_rows[a], k_rows[a], valid_rows[a]), code_rows[a])
        live, seats, plan, addons = self.daily_state()
        self.future_renewals(live[:, -1])
        return Commercial(
            lines=self.lines,
            invoices=self.invoices,
            renewals=self.renewals,
            cycle_start=self.cycle_start,
            live=live,
            seats=seats,
            plan=plan,
            addons=addons,
        )

    def daily_state(self) -> tuple[np.ndarray, ...]:
        n, days = self.frame.n, self.timeline.days
        live = np.zeros((n, days), dtype=bool)
        seats = np.zeros((n, days), dtype=np.int32)
        plan = np.zeros((n, days), dtype=np.int8)
        addons = np.zeros((n, days), dtype=np.uint8)
        cols = self.lines
        order = np.lexsort((np.asarray(cols["start"]), np.asarray(cols["account"])))
        for i in order.tolist():
            a, product, start = cols["account"][i], cols["product"][i], cols["start"][i]
            end = days if cols["end"][i] is None else min(cols["end"][i], days)
            lo = max(start, 0)
            if end <= lo:
                if product == 0 and start < days:
                    plan[a, lo:] = cols["plan"][i]
                continue
            live[a, lo:end] = True
            if product == 0:
                seats[a, lo:end] = cols["quantity"][i]
                plan[a, lo:] = cols["plan"][i]
            else:
                addons[a, lo:end] |= np.uint8(1 << (product - 1))
        return live, seats, plan, addons

    def future_renewals(self, live_at_end: np.ndarray) -> None:
        """The next renewal of every live annual account (outcome unknown yet)."""
        tl = self.timeline
        by_account: dict[int, float] = {}
        for a, q, u, monthly, end in zip(
            self.lines["account"],
            self.lines["quantity"],
            self.lines["unit"],
            self.lines["monthly"],
            self.lines["end"],
            strict=True,
        ):
            if end is None:
                by_account[a] = by_account.get(a, 0.0) + q * u * (12 if monthly else 1)
        for a in np.flatnonzero(live_at_end & ~self.frame.monthly).tolist():
            start = tl.date_of(int(self.cycle_start[a]))
            years = max(1, tl.end.year - start.year)
            while add_months(start, 12 * years) <= tl.end:
                years += 1
            t = tl.index_of(add_months(start, 12 * years))
            for column, value in zip(self.renewals, (a, t, by_account.get(a, 0.0), None, None), strict=True):
                self.renewals[column].append(value)


def simulate(rng: np.random.Generator, frame: acc.AccountFrame, latent: Latent, timeline: Timeline) -> Commercial:
    return _Simulator(rng, frame, latent, timeline).run()
