"""Records of the account-level tables, in the column order of ``TABLE_COLUMNS``:
users, features, data sources, accounts (with their end-of-window state derived from the
subscription lines), aliases, contacts, subscription lines, invoices and renewals.

Money is exact: unit amounts have two decimals and ARR is summed in ``Decimal`` from the
same lines that are loaded, so ``account.current_arr`` equals what the revenue engine
will compute from ``subscription_line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from app.demo import catalog as cat
from app.demo import commercial as com
from app.demo.accounts import AccountFrame, ContactFrame, Staff
from app.demo.latent import Latent
from app.demo.timeline import Timeline
from app.demo.usage import api_limit

Record = tuple[Any, ...]

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "user": ("id", "email", "name", "role", "password_hash", "is_active", "lead_id"),
    "feature": ("id", "key", "name", "is_core", "plans", "event_pattern"),
    "account": (
        "id",
        "external_id",
        "name",
        "domains",
        "owner_id",
        "segment",
        "icp_tier",
        "plan",
        "industry",
        "region",
        "acquisition_channel",
        "signup_date",
        "onboarding_completed_at",
        "first_value_at",
        "seats_purchased",
        "seat_limit",
        "api_call_limit",
        "contract_start",
        "renewal_date",
        "status",
        "current_arr",
        "flag",
    ),
    "account_alias": ("account_id", "source", "key"),
    "contact": ("id", "source_id", "account_id", "name", "email", "title", "role", "is_primary", "since"),
    "subscription_line": (
        "source",
        "source_id",
        "account_id",
        "product",
        "plan",
        "quantity",
        "unit_amount",
        "interval",
        "start_date",
        "end_date",
        "cancellation_reason",
    ),
    "invoice": ("source", "source_id", "account_id", "amount", "issued_at", "due_at", "paid_at", "status"),
    "renewal": ("account_id", "renewal_date", "arr_up_for_renewal", "outcome", "closed_at"),
    "usage_daily": ("account_id", "day", "feature_id", "events", "active_users", "minutes", "api_calls"),
    "usage_user_activity": ("account_id", "month", "user_hash", "active_days"),
    "ticket": (
        "source_id",
        "account_id",
        "priority",
        "status",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "escalated",
        "sla_due_at",
        "csat",
        "product_area",
        "subject",
    ),
    "survey_response": (
        "source_id",
        "account_id",
        "contact_id",
        "contact_email",
        "kind",
        "score",
        "responded_at",
        "comment",
    ),
    "touchpoint": ("source_id", "account_id", "kind", "csm_id", "csm_email", "occurred_at", "sentiment", "summary"),
    "data_source": ("key", "name", "owner_id", "stale_after_days", "last_received_at", "items_received"),
}


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def lead_of(staff: Staff, index: int) -> Any:
    """Whom a staff member reports to: CSMs alternate between the leaders (csm01 → leader01,
    csm02 → leader02, csm03 → leader01...), so each leader has a team; leaders report to no one."""
    leaders = [i for i, r in enumerate(staff.roles) if r == "leader"]
    if staff.roles[index] != "csm" or not leaders:
        return None
    return staff.ids[leaders[index % len(leaders)]]


def user_rows(staff: Staff) -> list[Record]:
    return [
        (i, e, n, r, None, True, lead_of(staff, k))
        for k, (i, e, n, r) in enumerate(zip(staff.ids, staff.emails, staff.names, staff.roles, strict=True))
    ]


def feature_rows() -> list[Record]:
    return [(f.id, f.key, f.name, f.is_core, list(f.plans), f.event_pattern) for f in cat.FEATURES]


def data_source_rows(
    staff: Staff, timeline: Timeline, counts: dict[str, int], rng: np.random.Generator
) -> list[Record]:
    """Freshness rows: every source last heard from shortly before the end of the window."""
    end = datetime.combine(timeline.end, time(23, 59), UTC)
    leader = staff.ids[staff.csm_count]
    rows = []
    for key, name in cat.DATA_SOURCES:
        lag = timedelta(minutes=float(rng.uniform(1, 240 if key in ("invoices", "subscriptions") else 45)))
        rows.append((key, name, leader, 10, end - lag, counts.get(key, 0)))
    return rows


@dataclass
class LineTable:
    """Subscription lines as loaded (sorted by account, start, product), with exact amounts."""

    account: list[int]
    product: list[int]
    plan: list[int]
    quantity: list[int]
    unit: list[Decimal]
    monthly: list[bool]
    start: list[int]
    end: list[int | None]
    reason: list[str | None]

    @classmethod
    def from_commercial(cls, lines: dict[str, list[Any]]) -> LineTable:
        order = sorted(
            range(len(lines["account"])),
            key=lambda i: (lines["account"][i], lines["start"][i], lines["product"][i], lines["end"][i] is None),
        )
        pick = {name: [values[i] for i in order] for name, values in lines.items()}
        pick["unit"] = [money(u) for u in pick["unit"]]
        return cls(**pick)

    def arr_at(self, n: int, t: int) -> list[Decimal]:
        """Exact ARR of every account on day index ``t``."""
        arr = [Decimal(0)] * n
        for a, q, u, monthly, s, e in zip(
            self.account, self.quantity, self.unit, self.monthly, self.start, self.end, strict=True
        ):
            if s <= t and (e is None or e > t):
                arr[a] += q * u * (12 if monthly else 1)
        return arr


def _ordinals(account: list[int]) -> list[int]:
    out, previous, k = [], -1, 0
    for a in account:
        k = k + 1 if a == previous else 1
        previous = a
        out.append(k)
    return out


def line_rows(lines: LineTable, frame: AccountFrame, timeline: Timeline) -> list[Record]:
    rows = []
    columns = (
        lines.account,
        _ordinals(lines.account),
        lines.product,
        lines.plan,
        lines.quantity,
        lines.unit,
        lines.monthly,
        lines.start,
        lines.end,
        lines.reason,
    )
    for a, k, product, plan, quantity, unit, monthly, start, end, reason in zip(*columns, strict=True):
        rows.append(
            (
                cat.DEMO_SOURCE,
                f"sub-{a + 1:06d}-{k:03d}",
                frame.ids[a],
                cat.PLATFORM if product == 0 else cat.ADDONS[product - 1],
                cat.PLANS[plan] if product == 0 else None,
                Decimal(quantity),
                unit,
                "month" if monthly else "year",
                timeline.date_of(start),
                None if end is None else timeline.date_of(end),
                reason,
            )
        )
    return rows


def alias_rows(frame: AccountFrame) -> list[Record]:
    rows: list[Record] = []
    for i, domain, stripe in zip(frame.ids, frame.domains, frame.stripe_ids, strict=True):
        rows += [(i, "domain", domain), (i, "stripe", stripe)]
    return rows


def contact_rows(frame: AccountFrame, contacts: ContactFrame, timeline: Timeline) -> list[Record]:
    """Contacts, stakeholders since their account signed up."""
    signup = timeline.dates(frame.t_signup)
    return [
        (cid, src, frame.ids[a], name, email, title, role, primary, signup[a])
        for cid, src, a, name, email, title, role, primary in zip(
            contacts.ids,
            contacts.source_ids,
            contacts.account.tolist(),
            contacts.names,
            contacts.emails,
            contacts.titles,
            contacts.roles,
            contacts.is_primary,
            strict=True,
        )
    ]


def invoice_rows(
    rng: np.random.Generator, frame: AccountFrame, latent: Latent, timeline: Timeline, invoices: dict[str, list[Any]]
) -> list[Record]:
    """Invoices with payment behaviour: unhappy accounts pay late or not at all."""
    a, t = np.asarray(invoices["account"], dtype=np.int64), np.asarray(invoices["t"], dtype=np.int64)
    order = np.lexsort((t, a))
    a, t = a[order], t[order]
    amount = np.asarray(invoices["amount"], dtype=np.float64)[order]
    state = np.asarray(invoices["state"], dtype=np.int64)[order]
    s = latent.satisfaction[a, t + latent.offset].astype(np.float64)
    issued = t + rng.uniform(0.25, 0.45, size=a.size)
    terms = np.where(frame.monthly[a], 7.0, 30.0)
    on_time = rng.random(a.size) < 1 / (1 + np.exp(-(2.4 + 1.4 * s)))
    paid = np.where(
        on_time, issued + rng.random(a.size) * terms, issued + terms + rng.gamma(2.0, 5.0 * np.exp(-0.6 * s))
    )
    is_paid = (state == com.INVOICE_NORMAL) & (paid < timeline.days)
    status = np.where(state == com.INVOICE_FAILED, "uncollectible", np.where(is_paid, "paid", "open"))
    paid_at = timeline.timestamps(np.minimum(paid, timeline.days - 1))
    return [
        (cat.DEMO_SOURCE, f"in-{acct + 1:06d}-{k:04d}", frame.ids[acct], money(amt), iss, due, pay if ok else None, st)
        for acct, k, amt, iss, due, pay, ok, st in zip(
            a.tolist(),
            _ordinals(a.tolist()),
            amount.tolist(),
            timeline.timestamps(issued),
            timeline.timestamps(issued + terms),
            paid_at,
            is_paid.tolist(),
            status.tolist(),
            strict=True,
        )
    ]


def renewal_outcome(before: float, after: float) -> str:
    if after <= 0.005:
        return "churned"
    if after > before + 0.005:
        return "expanded"
    return "contracted" if after < before - 0.005 else "renewed"


def renewal_rows(frame: AccountFrame, timeline: Timeline, renewals: dict[str, list[Any]]) -> list[Record]:
    rows = []
    columns = (renewals["account"], renewals["t"], renewals["arr_before"], renewals["arr_after"], renewals["closed_t"])
    for a, t, before, after, closed in sorted(zip(*columns, strict=True), key=lambda r: (r[0], r[1])):
        outcome = None if after is None else renewal_outcome(before, after)
        # Signed around mid-day, at the latest the day before the renewal date.
        closed_at = None if closed is None else timeline.timestamp(min(float(np.floor(closed)) + 0.55, t - 0.45))
        rows.append((frame.ids[a], timeline.date_of(t), money(before), outcome, closed_at))
    return rows


@dataclass
class EndState:
    """Each account's commercial state at the end of the window."""

    arr: list[Decimal]
    plan: np.ndarray
    seats: np.ndarray
    api_addon: np.ndarray
    renewal_t: dict[int, int]


def end_state(frame: AccountFrame, timeline: Timeline, lines: LineTable, renewals: dict[str, list[Any]]) -> EndState:
    last = timeline.days - 1
    plan, seats = frame.plan0.copy(), frame.seats0.copy()
    api_addon = np.zeros(frame.n, dtype=bool)
    api = cat.ADDONS.index("API") + 1
    for a, product, p, q, s, e in zip(
        lines.account, lines.product, lines.plan, lines.quantity, lines.start, lines.end, strict=True
    ):
        if product == 0 and s <= last:
            plan[a], seats[a] = p, q
        api_addon[a] |= product == api and s <= last and (e is None or e > last)
    future = {
        a: t
        for a, t, after in zip(renewals["account"], renewals["t"], renewals["arr_after"], strict=True)
        if after is None
    }
    return EndState(arr=lines.arr_at(frame.n, last), plan=plan, seats=seats, api_addon=api_addon, renewal_t=future)


def _flags(rng: np.random.Generator, latent: Latent, live: np.ndarray) -> list[str | None]:
    e, s = latent.engagement[:, -1], latent.satisfaction[:, -1]
    u = rng.random(e.size)
    flag = np.select(
        [live & (s < -1.2) & (u < 0.3), live & (e > 1) & (s > 1) & (u < 0.1), live & (u > 0.98), live & (u > 0.97)],
        ["red", "green", "yellow", "blue"],
        "",
    )
    return [f or None for f in flag.tolist()]


def _moment(timeline: Timeline, t: float) -> datetime | None:
    return timeline.timestamp(t) if t < timeline.days else None


def _renewal_dates(frame: AccountFrame, timeline: Timeline, state: EndState, live: np.ndarray) -> list[date | None]:
    """The contract renewal date a CRM holds: the next anniversary of live annual accounts.
    Monthly plans have no contract date; their renewal is the next billing cycle, which
    Tempo derives from their subscription lines."""
    dates: list[date | None] = []
    for a in range(frame.n):
        if not live[a] or frame.monthly[a]:
            dates.append(None)
        else:
            dates.append(timeline.date_of(state.renewal_t[a]))
    return dates


def _moments(timeline: Timeline, t: np.ndarray, keep: np.ndarray) -> list[datetime | None]:
    return [_moment(timeline, v) if k else None for v, k in zip(t.tolist(), keep.tolist(), strict=True)]


def account_rows(
    rng: np.random.Generator,
    frame: AccountFrame,
    staff: Staff,
    timeline: Timeline,
    latent: Latent,
    state: EndState,
    cycle_start: np.ndarray,
) -> list[Record]:
    live = np.array([arr > 0 for arr in state.arr], dtype=bool)
    flags = _flags(rng, latent, live)
    gets_value = frame.onboarded | (rng.random(frame.n) < 0.5)
    hours = rng.uniform(0.35, 0.75, size=(frame.n, 2))
    api_bit = np.where(state.api_addon, 1 << cat.ADDONS.index("API"), 0).astype(np.uint8)
    seats = state.seats.astype(np.int64)
    columns = (
        frame.ids,
        [f"acct_{a + 1:06d}" for a in range(frame.n)],
        frame.names,
        [[d] for d in frame.domains],
        [staff.ids[o] for o in frame.owner.tolist()],
        [cat.SEGMENTS[i] for i in frame.segment.tolist()],
        [cat.ICP_TIERS[i] for i in frame.tier.tolist()],
        [cat.PLANS[i] for i in state.plan.tolist()],
        [cat.INDUSTRIES[i] for i in frame.industry.tolist()],
        [cat.REGIONS[i] for i in frame.region.tolist()],
        [cat.CHANNELS[i] for i in frame.channel.tolist()],
        timeline.dates(frame.t_signup),
        _moments(timeline, frame.t_contract + frame.onboard_days + hours[:, 0], frame.onboarded),
        _moments(timeline, frame.t_contract + frame.value_days + hours[:, 1], gets_value),
        seats.tolist(),
        np.where(state.plan == 3, np.ceil(seats * 1.1), seats).astype(np.int64).tolist(),  # Enterprise: 10% grace
        api_limit(state.plan, api_bit).tolist(),
        timeline.dates(cycle_start),
        _renewal_dates(frame, timeline, state, live),
        np.where(live, "active", "churned").tolist(),
        state.arr,
        flags,
    )
    return list(zip(*columns, strict=True))
