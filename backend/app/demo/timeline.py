"""The demo's time axis: the window of simulated history, day indices and date helpers.

Day index ``t`` counts days from the window's first day (``t = 0``); negative indices are
before the window (older accounts, latent burn-in). All conversions to dates and
timestamps live here so every table agrees on what "day t" means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

PG_EPOCH = date(2000, 1, 1)
UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Latent states are simulated this many days before the window so that decisions made
# early in the window (and their 90-day look-backs) have a history.
BURN_IN_DAYS = 150


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later, clipped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last = _month_length(year, month)
    return date(year, month, min(day.day, last))


def _month_length(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date

    @classmethod
    def for_window(cls, end: date, months: int) -> Timeline:
        return cls(start=add_months(end + timedelta(days=1), -months), end=end)

    @property
    def days(self) -> int:
        """Days in the window, both ends included."""
        return (self.end - self.start).days + 1

    def date_of(self, t: int) -> date:
        return self.start + timedelta(days=int(t))

    def index_of(self, day: date) -> int:
        return (day - self.start).days

    @property
    def pg_start(self) -> int:
        """The window's first day as PostgreSQL's binary date (days since 2000-01-01)."""
        return (self.start - PG_EPOCH).days

    @property
    def epoch_seconds_start(self) -> float:
        """Seconds from the Unix epoch to the window's first midnight (UTC)."""
        return (datetime.combine(self.start, datetime.min.time(), UTC) - UTC_EPOCH).total_seconds()

    def weekday(self) -> np.ndarray:
        """Weekday (Mon=0) of every window day."""
        return (np.arange(self.days) + self.start.weekday()) % 7

    def month_starts(self) -> tuple[np.ndarray, list[date]]:
        """Indices of the first window day of every calendar month, and those months' first days."""
        firsts: list[date] = []
        idx: list[int] = []
        month = date(self.start.year, self.start.month, 1)
        while month <= self.end:
            idx.append(max(0, self.index_of(month)))
            firsts.append(month)
            month = add_months(month, 1)
        return np.asarray(idx, dtype=np.int64), firsts

    def day_of_month(self) -> np.ndarray:
        """Day-of-month (1..31) of every window day."""
        starts, firsts = self.month_starts()
        dom = np.empty(self.days, dtype=np.int64)
        bounds = [*starts.tolist(), self.days]
        for i, first in enumerate(firsts):
            offset = (self.date_of(bounds[i]) - first).days
            dom[bounds[i] : bounds[i + 1]] = np.arange(bounds[i + 1] - bounds[i]) + 1 + offset
        return dom

    def timestamp(self, t_days: float) -> datetime:
        """Timezone-aware UTC datetime at fractional day index ``t_days``."""
        return datetime.combine(self.start, datetime.min.time(), UTC) + timedelta(days=float(t_days))

    def timestamps(self, t_days: np.ndarray) -> list[datetime]:
        """Vector version of :meth:`timestamp`, rounded to the second."""
        base = datetime.combine(self.start, datetime.min.time(), UTC)
        seconds = np.round(np.asarray(t_days, dtype=np.float64) * 86400.0).astype(np.int64)
        return [base + timedelta(seconds=s) for s in seconds.tolist()]

    def dates(self, t: np.ndarray) -> list[date]:
        ordinal = self.start.toordinal()
        return [date.fromordinal(ordinal + v) for v in np.asarray(t, dtype=np.int64).tolist()]
