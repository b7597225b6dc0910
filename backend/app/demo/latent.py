"""Latent account states: the hidden *engagement* and *satisfaction* of every account, day
by day, that every observable signal of the demo book is derived from.

Each state is a mean-reverting (Ornstein-Uhlenbeck) walk around the account's own level,
with daily correlated noise and occasional shocks: a champion leaving, an executive
sponsor change, a successful rollout, and book-wide bad releases and an outage. Low
satisfaction slowly drags engagement down (frustrated power users drift toward churn
risk). States are in "z-score" units around 0, the level an average account drifts
around; most accounts sit within ±1.5. ``USAGE_CUTOFF`` and ``HEALTH_CUTOFF`` are where
the observable usage and health axes cross the quadrant cutoff of 60.

Engagement drives usage (seat adoption, logins, feature breadth, minutes, API calls).
Satisfaction drives support load and severity, NPS/CSAT, touch sentiment and late
payments. Renewal decisions read both (see ``commercial``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo import accounts as acc
from app.demo.timeline import BURN_IN_DAYS

HALF_LIFE_DAYS = 45.0
OU_SD = 0.55
NOISE_CORRELATION = 0.35
# How strongly satisfaction below its usual level pulls engagement down.
SATISFACTION_DRAG = 0.30
# Yearly rates and sizes of account-specific shocks: (rate, engagement range, satisfaction range).
SHOCKS = (
    (0.30, (-1.1, -0.5), (-0.7, -0.2)),  # champion leaves
    (0.20, (0.0, 0.0), (-0.8, -0.3)),  # exec sponsor change / budget review
    (0.35, (0.4, 0.9), (0.2, 0.5)),  # successful rollout, new champion
)
BAD_RELEASES = 3
# Latent levels at which the observable axes cross the quadrant cutoff (60): measured by
# scoring generated books with the DESIGN section 6 curves. An average account's health
# axis is ~80 (quiet support, paid invoices, NPS ~8), so it is the troubled minority
# that falls below 60.
USAGE_CUTOFF = -0.1
HEALTH_CUTOFF = -1.7


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """The logistic function: how a latent state becomes a probability throughout the demo."""
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))))


@dataclass
class Latent:
    """Daily latent states, shape (accounts, BURN_IN_DAYS + window days), float32."""

    engagement: np.ndarray
    satisfaction: np.ndarray
    offset: int = BURN_IN_DAYS

    def mean_before(self, which: np.ndarray, account: np.ndarray, t: np.ndarray, days: int) -> np.ndarray:
        """Mean of ``which`` over [t - days, t) for each account row and each of its days ``t`` (m, k)."""
        cols = np.clip(np.asarray(t) + self.offset, days, which.shape[1])
        cum = np.zeros((account.shape[0], which.shape[1] + 1), dtype=np.float64)
        np.cumsum(which[account], axis=1, dtype=np.float64, out=cum[:, 1:])
        rows = np.arange(account.shape[0])[:, None]
        return np.asarray((cum[rows, cols] - cum[rows, cols - days]) / days)

    def boost(self, account: int, t: int, d_engagement: float, d_satisfaction: float) -> None:
        """Add a decaying bump from day ``t`` on (a new champion after a win-back)."""
        col = max(0, t + self.offset)
        decay = 0.5 ** (np.arange(self.engagement.shape[1] - col) / HALF_LIFE_DAYS)
        self.engagement[account, col:] += (d_engagement * decay).astype(np.float32)
        self.satisfaction[account, col:] += (d_satisfaction * decay).astype(np.float32)


def account_levels(rng: np.random.Generator, frame: acc.AccountFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each account's long-run engagement and satisfaction level."""
    n = frame.n
    shared = rng.normal(0, 0.25, size=n)
    tier_effect = np.array([0.30, 0.0, -0.35])[frame.tier]
    mu_e = 0.15 + tier_effect + shared + rng.normal(0, 0.45, size=n)
    mu_e += np.where(frame.channel == 3, 0.15, 0.0) - np.where(frame.onboarded, 0.0, 0.9)
    # Most customers are content; a troubled minority (more of them among poor-fit accounts)
    # carries the book's dissatisfaction, so surveys look like a real book (NPS around +10).
    troubled = rng.random(n) < np.array([0.25, 0.31, 0.39])[frame.tier]
    mu_s = np.where(troubled, rng.normal(-1.3, 0.5, size=n), rng.normal(0.35, 0.45, size=n))
    mu_s += 0.5 * tier_effect + shared
    mu_s -= np.where(frame.has_champion, 0.0, 0.30) + np.where(frame.has_exec, 0.0, 0.10)
    story = frame.story
    mu_e += np.select([story == acc.STORY_GROWTH, story == acc.STORY_DOWNSIZE], [1.0, -0.9], 0.0)
    mu_s += np.select([story == acc.STORY_GROWTH, story == acc.STORY_WINBACK], [0.8, -0.8], 0.0)
    return mu_e, mu_s


def _shock_matrix(rng: np.random.Generator, n: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    shock_e = np.zeros((n, length), dtype=np.float32)
    shock_s = np.zeros((n, length), dtype=np.float32)
    for rate, (e_lo, e_hi), (s_lo, s_hi) in SHOCKS:
        counts = rng.poisson(rate * length / 365.0, size=n)
        who = np.repeat(np.arange(n), counts)
        when = rng.integers(0, length, size=who.size)
        np.add.at(shock_e, (who, when), rng.uniform(e_lo, e_hi, size=who.size).astype(np.float32))
        np.add.at(shock_s, (who, when), rng.uniform(s_lo, s_hi, size=who.size).astype(np.float32))
    # Book-wide: a few bad releases hit a third of the book, one outage hits half of it.
    for size, share in [((-1.2, -0.4), 0.33)] * BAD_RELEASES + [((-0.6, -0.3), 0.5)]:
        day = int(rng.integers(BURN_IN_DAYS + 20, length - 20)) if length > BURN_IN_DAYS + 40 else 0
        hit = rng.random(n) < share
        shock_s[hit, day] += rng.uniform(size[0], size[1], size=int(hit.sum())).astype(np.float32)
    return shock_e, shock_s


def simulate(rng: np.random.Generator, frame: acc.AccountFrame, window_days: int) -> Latent:
    n, length = frame.n, BURN_IN_DAYS + window_days
    mu_e, mu_s = account_levels(rng, frame)
    shock_e, shock_s = _shock_matrix(rng, n, length)
    phi = 0.5 ** (1.0 / HALF_LIFE_DAYS)
    sigma = OU_SD * np.sqrt(1.0 - phi * phi)
    rho = NOISE_CORRELATION
    # Simulated day-major (each step touches contiguous memory), stored account-major.
    e = np.empty((length, n), dtype=np.float32)
    s = np.empty((length, n), dtype=np.float32)
    e[0] = mu_e + rng.normal(0, OU_SD, size=n)
    s[0] = mu_s + rng.normal(0, OU_SD, size=n)
    shock_e, shock_s = shock_e.T.copy(), shock_s.T.copy()
    for t in range(1, length):
        z1 = rng.standard_normal(n)
        z2 = rho * z1 + np.sqrt(1 - rho * rho) * rng.standard_normal(n)
        target_e = mu_e + SATISFACTION_DRAG * np.minimum(s[t - 1] - mu_s, 0.0)
        e[t] = target_e + phi * (e[t - 1] - target_e) + sigma * z1 + shock_e[t]
        s[t] = mu_s + phi * (s[t - 1] - mu_s) + sigma * z2 + shock_s[t]
    return Latent(engagement=np.ascontiguousarray(e.T), satisfaction=np.ascontiguousarray(s.T))
