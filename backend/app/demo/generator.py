"""Tempo's demo book generator: a pure, deterministic simulation of a B2B SaaS customer
base, producing row batches for every table that carries a signal.

Parameters (``DemoParams``):

- ``accounts`` - number of accounts (default 500). Staff scales with it: one CSM per ~150
  accounts (at least 3) plus 2 leaders.
- ``months`` - months of history, ending on ``end_date`` (default 18). A quarter of the
  accounts signed up before the window (their subscriptions start earlier; their usage,
  tickets and other signals are generated inside the window only).
- ``seed`` - the random seed (default 42).
- ``end_date`` - the last simulated day (default: today, UTC). Nothing is dated after it
  except upcoming renewals, invoice and SLA due dates, and ``account.renewal_date``.

Identical ``(accounts, months, seed, end_date)`` give identical rows. The simulation has
independent random streams per stage and per block of ``BLOCK_ACCOUNTS`` accounts, so the
heavy tables are produced block by block (bounded memory, streamable into COPY) without
changing the output.

How it works: ``accounts`` draws the static book, ``latent`` simulates each account's
hidden engagement and satisfaction day by day, ``commercial`` turns them into
subscription lines, invoices and renewals (churn and expansion depend on the latent
states), and ``usage`` / ``signals`` derive the observable signals (usage rollups,
tickets, surveys, touchpoints) from the same states. ``outcomes`` measures how well the
states predict churn (DESIGN section 17).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import IntEnum
from typing import Any

import numpy as np

from app.demo import accounts as acc
from app.demo import commercial as com
from app.demo import latent as lat
from app.demo import rows
from app.demo import signals as sig
from app.demo import usage as use
from app.demo.timeline import Timeline

BLOCK_ACCOUNTS = 256
STATIC_TABLES = ("user", "feature", "account", "account_alias", "contact", "subscription_line", "invoice", "renewal")
BLOCK_TABLES = ("usage_daily", "usage_user_activity", "ticket", "survey_response", "touchpoint")
TABLES = (*STATIC_TABLES, *BLOCK_TABLES, "data_source")
# Which data source each table's rows count toward.
SOURCE_OF_TABLE = {
    "ticket": "tickets",
    "survey_response": "surveys",
    "touchpoint": "touchpoints",
    "subscription_line": "subscriptions",
    "invoice": "invoices",
}


class Stream(IntEnum):
    STAFF = 0
    ACCOUNTS = 1
    CONTACTS = 2
    LATENT = 3
    COMMERCIAL = 4
    ROWS = 5
    USAGE = 6
    SIGNALS = 7


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class DemoParams:
    accounts: int = 500
    months: int = 18
    seed: int = 42
    end_date: date = field(default_factory=_today)

    def __post_init__(self) -> None:
        if self.accounts < 1:
            raise ValueError("accounts must be at least 1")
        if not 1 <= self.months <= 120:
            raise ValueError("months must be between 1 and 120")

    def rng(self, *stream: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *stream])


@dataclass
class Batch:
    """Rows for one table: Python records, or numpy columns for the hot tables."""

    table: str
    columns: tuple[str, ...]
    records: list[tuple[Any, ...]] | None = None
    arrays: list[np.ndarray] | None = None

    def __len__(self) -> int:
        if self.records is not None:
            return len(self.records)
        return 0 if not self.arrays else int(self.arrays[0].shape[0])

    def rows(self) -> list[tuple[Any, ...]]:
        """The batch as Python records (converting numpy columns if needed)."""
        if self.records is not None:
            return self.records
        return list(zip(*(_python_values(column) for column in self.arrays or []), strict=True))


def _python_values(column: np.ndarray) -> list[Any]:
    if column.ndim == 2:  # uuid bytes
        blob = np.ascontiguousarray(column).tobytes()
        return [uuid.UUID(bytes=blob[i : i + 16]) for i in range(0, len(blob), 16)]
    if column.dtype.kind == "M":
        return list(column.astype("datetime64[D]").astype(object))
    return list(column.tolist())


@dataclass
class DemoBook:
    """A generated book. Account-level state is computed eagerly; heavy tables per block."""

    params: DemoParams
    timeline: Timeline
    staff: acc.Staff
    accounts: acc.AccountFrame
    contacts: acc.ContactFrame
    latent: lat.Latent
    commercial: com.Commercial
    lines: rows.LineTable
    end: rows.EndState

    @property
    def n_blocks(self) -> int:
        return -(-self.accounts.n // BLOCK_ACCOUNTS)

    def static_batches(self) -> Iterator[Batch]:
        """The account-level tables, in foreign-key order."""
        rng = self.params.rng(Stream.ROWS)
        frame, tl, cols = self.accounts, self.timeline, rows.TABLE_COLUMNS
        yield Batch("user", cols["user"], rows.user_rows(self.staff))
        yield Batch("feature", cols["feature"], rows.feature_rows())
        yield Batch(
            "account",
            cols["account"],
            rows.account_rows(rng, frame, self.staff, tl, self.latent, self.end, self.commercial.cycle_start),
        )
        yield Batch("account_alias", cols["account_alias"], rows.alias_rows(frame))
        yield Batch("contact", cols["contact"], rows.contact_rows(frame, self.contacts, self.timeline))
        yield Batch("subscription_line", cols["subscription_line"], rows.line_rows(self.lines, frame, tl))
        yield Batch(
            "invoice", cols["invoice"], rows.invoice_rows(rng, frame, self.latent, tl, self.commercial.invoices)
        )
        yield Batch("renewal", cols["renewal"], rows.renewal_rows(frame, tl, self.commercial.renewals))

    def block_rows(self, block: int) -> slice:
        return slice(block * BLOCK_ACCOUNTS, min(self.accounts.n, (block + 1) * BLOCK_ACCOUNTS))

    def block_batches(self, block: int) -> list[Batch]:
        """The heavy tables for the accounts of ``block``, each in primary-key order."""
        return [*self._usage_batches(block), *self._signal_batches(block)]

    def _usage_batches(self, block: int) -> list[Batch]:
        part, frame, com_, tl = self.block_rows(block), self.accounts, self.commercial, self.timeline
        inputs = use.UsageInputs(
            number=np.arange(part.start, part.stop) + 1,
            engagement=self.latent.engagement[part, self.latent.offset :],
            live=com_.live[part],
            seats=com_.seats[part],
            plan=com_.plan[part],
            addons=com_.addons[part],
            ramp_start=frame.t_contract[part],
            onboard_days=frame.onboard_days[part],
            onboarded=frame.onboarded[part],
        )
        usage = use.simulate_block(self.params.rng(Stream.USAGE, block), inputs, tl)
        uid, d, a = frame.uid[part], usage.daily, usage.activity
        day = np.datetime64(tl.start, "D") + d["t"]
        month = np.array(tl.month_starts()[1], dtype="datetime64[D]")[a["month"]]
        daily = [uid[d["account"]], day, d["feature_id"], d["events"], d["active_users"], d["minutes"], d["api_calls"]]
        activity = [uid[a["account"]], month, a["user_hash"], a["active_days"]]
        return [
            Batch("usage_daily", rows.TABLE_COLUMNS["usage_daily"], arrays=daily),
            Batch("usage_user_activity", rows.TABLE_COLUMNS["usage_user_activity"], arrays=activity),
        ]

    def _signal_batches(self, block: int) -> list[Batch]:
        part, frame, com_, latent, tl = (
            self.block_rows(block),
            self.accounts,
            self.commercial,
            self.latent,
            self.timeline,
        )
        inputs = sig.SignalInputs(
            rows=np.arange(part.start, part.stop),
            ids=frame.ids[part],
            number=np.arange(part.start, part.stop) + 1,
            segment=frame.segment[part],
            owner=frame.owner[part],
            t_contract=frame.t_contract[part],
            live=com_.live[part],
            seats=com_.seats[part],
            engagement=latent.engagement[part, latent.offset :],
            satisfaction=latent.satisfaction[part, latent.offset :],
            contacts=self.contacts,
            staff=self.staff,
        )
        rng = self.params.rng(Stream.SIGNALS, block)
        tickets, csat = sig.ticket_rows(rng, inputs, tl)
        surveys = sorted(csat + sig.nps_rows(rng, inputs, tl), key=lambda r: (r[1].bytes, r[6]))
        cols = rows.TABLE_COLUMNS
        return [
            Batch("ticket", cols["ticket"], tickets),
            Batch("survey_response", cols["survey_response"], surveys),
            Batch("touchpoint", cols["touchpoint"], sig.touchpoint_rows(rng, inputs, tl)),
        ]

    def data_source_batch(self, counts: dict[str, int]) -> Batch:
        """Freshness of each source; ``counts`` holds items received per source key."""
        rng = self.params.rng(Stream.ROWS, 1)
        records = rows.data_source_rows(self.staff, self.timeline, counts, rng)
        return Batch("data_source", rows.TABLE_COLUMNS["data_source"], records)

    @staticmethod
    def count_items(batch: Batch, counts: dict[str, int]) -> None:
        """Add a batch's items to the per-source counters ``data_source_batch`` reports."""
        if batch.table == "usage_daily" and batch.arrays:
            counts["events"] = counts.get("events", 0) + int(batch.arrays[3].sum())
        elif batch.table in SOURCE_OF_TABLE:
            key = SOURCE_OF_TABLE[batch.table]
            counts[key] = counts.get(key, 0) + len(batch)

    def batches(self) -> Iterator[Batch]:
        """Every batch of the book, in an order that satisfies the foreign keys."""
        counts: dict[str, int] = {}
        for batch in self.static_batches():
            self.count_items(batch, counts)
            yield batch
        for block in range(self.n_blocks):
            for batch in self.block_batches(block):
                self.count_items(batch, counts)
                yield batch
        yield self.data_source_batch(counts)


def generate(params: DemoParams) -> DemoBook:
    """Simulate the account-level book; heavy tables are produced lazily per block."""
    timeline = Timeline.for_window(params.end_date, params.months)
    staff = acc.make_staff(params.rng(Stream.STAFF), params.accounts)
    frame = acc.make_accounts(params.rng(Stream.ACCOUNTS), params.accounts, timeline.days, staff)
    contacts = acc.make_contacts(params.rng(Stream.CONTACTS), frame)
    latent = lat.simulate(params.rng(Stream.LATENT), frame, timeline.days)
    commercial = com.simulate(params.rng(Stream.COMMERCIAL), frame, latent, timeline)
    lines = rows.LineTable.from_commercial(commercial.lines)
    end = rows.end_state(frame, timeline, lines, commercial.renewals)
    return DemoBook(params, timeline, staff, frame, contacts, latent, commercial, lines, end)
