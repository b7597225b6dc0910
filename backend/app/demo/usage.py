"""Product usage of a block of accounts: ``usage_daily`` and ``usage_user_activity``.

Model, per account and window day (only while the account is live):

- *Enrolled users*: ``seats x adoption(engagement) x onboarding ramp``. Users are slots
  ranked 0..pool-1; the lowest ranks enrol first, so growth adds users and decline drops
  them.
- *Daily activity*: every enrolled user is active with probability
  ``propensity(user) x activity(engagement) x weekday factor``. This user x day matrix
  is the single source of truth for users: its monthly bit masks are the
  ``usage_user_activity`` rows, and its column sums are the day's distinct active users.
- *Features*: a feature is in use on a day when the account's engagement is above the
  account's own threshold for it and the plan (or an add-on) includes it. The users who
  touch it are a binomial draw from the day's active users; ``workspace`` is touched by
  every active user, so **max(active_users) over a day's feature rows equals the distinct
  active users implied by the masks, exactly**. Events, minutes and API calls scale with
  the users and with engagement.

No raw ``usage_event`` rows are generated (they are a 35-day drill-down buffer), nor
``usage_user_feature_day`` (ingest's dedupe of user-feature-day pairs, kept like raw
events): events sent later for demo days would count their users as new on those days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo import catalog as cat
from app.demo.latent import sigmoid
from app.demo.timeline import Timeline

WEEKDAY_FACTOR = np.array([1.0, 1.0, 1.0, 0.97, 0.9, 0.12, 0.08], dtype=np.float32)
API_WEEKEND_FACTOR = 0.6
FEATURE_THRESHOLD = np.array([f.threshold for f in cat.FEATURES])
FEATURE_USER_RATE = np.array([f.user_rate for f in cat.FEATURES])
FEATURE_EVENTS = np.array([f.events_per_user for f in cat.FEATURES])
FEATURE_MINUTES = np.array([f.minutes_per_user for f in cat.FEATURES])
FEATURE_IDS = np.array([f.id for f in cat.FEATURES], dtype=np.int16)


def feature_availability() -> tuple[np.ndarray, np.ndarray]:
    """(plans x features) availability by plan, and (add-on bit x features) by add-on."""
    by_plan = np.array([[not f.plans or plan in f.plans for f in cat.FEATURES] for plan in cat.PLANS])
    by_addon = np.array([[f.addon == addon for f in cat.FEATURES] for addon in cat.ADDONS])
    return by_plan, by_addon


def api_limit(plan: np.ndarray, addons: np.ndarray) -> np.ndarray:
    """Monthly API call limit for plan index and add-on bitmask arrays."""
    has_api = (addons & (1 << cat.ADDONS.index("API"))) > 0
    base = np.asarray(cat.API_LIMIT_BY_PLAN, dtype=np.int64)[plan]
    return np.asarray(base * np.where(has_api, cat.API_ADDON_MULTIPLIER, 1))


def user_hash(account_number: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Stable pseudonymous user ids (splitmix64 of account number and user rank), as int64."""
    z = (account_number.astype(np.uint64) << np.uint64(24)) | rank.astype(np.uint64)
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return np.asarray((z ^ (z >> np.uint64(31))).view(np.int64))


@dataclass
class UsageInputs:
    """Per-account daily state of one block (arrays are (accounts, window days))."""

    number: np.ndarray  # account numbers (1-based)
    engagement: np.ndarray
    live: np.ndarray
    seats: np.ndarray
    plan: np.ndarray
    addons: np.ndarray
    ramp_start: np.ndarray
    onboard_days: np.ndarray
    onboarded: np.ndarray


@dataclass
class UsageBlock:
    daily: dict[str, np.ndarray]  # account (block row), t, feature_id, events, active_users, minutes, api_calls
    activity: dict[str, np.ndarray]  # account (block row), month (index), user_hash, active_days
    dau: np.ndarray  # (accounts, days) distinct active users


def _enrolled(inp: UsageInputs) -> np.ndarray:
    days = inp.engagement.shape[1]
    since = np.arange(days)[None, :] - inp.ramp_start[:, None]
    ramp = np.clip(0.25 + 0.75 * since / np.maximum(inp.onboard_days, 1)[:, None], 0.25, 1.0)
    ramp = np.where(inp.onboarded[:, None], ramp, np.minimum(ramp, 0.55))
    adoption = sigmoid(0.9 + 1.6 * inp.engagement) * ramp
    return np.asarray(np.floor(inp.seats * adoption + 0.5), dtype=np.int32)


def _active_matrix(rng: np.random.Generator, inp: UsageInputs, timeline: Timeline) -> tuple[np.ndarray, ...]:
    """The user x day activity matrix of the block, with each user's account and rank."""
    weekday = WEEKDAY_FACTOR[timeline.weekday()]
    daily_p = (sigmoid(0.7 + 1.2 * inp.engagement) * weekday).astype(np.float32) * inp.live
    enrolled = _enrolled(inp)
    pool = np.maximum(enrolled.max(axis=1), 1)  # users beyond the most ever enrolled never show up
    owner = np.repeat(np.arange(pool.size), pool)
    starts = np.cumsum(pool) - pool
    rank = np.arange(owner.size) - starts[owner]
    propensity = rng.beta(3.0, 1.5, size=owner.size)
    propensity = propensity[np.lexsort((-propensity, owner))].astype(np.float32)
    active = rng.random((owner.size, daily_p.shape[1]), dtype=np.float32) < propensity[:, None] * daily_p[owner]
    active &= rank[:, None] < enrolled[owner]
    return active, owner, rank, starts


def _month_masks(active: np.ndarray, timeline: Timeline) -> np.ndarray:
    """(users, months) int32 masks: bit d-1 set when the user was active on day d."""
    starts, firsts = timeline.month_starts()
    bounds = [*starts.tolist(), timeline.days]
    masks = np.zeros((active.shape[0], len(firsts)), dtype=np.int32)
    for m, first in enumerate(firsts):
        lo, hi = bounds[m], bounds[m + 1]
        shift = (timeline.date_of(lo) - first).days  # a window starting mid-month
        packed = np.packbits(active[:, lo:hi], axis=1, bitorder="little")
        wide = np.zeros((active.shape[0], 4), dtype=np.uint8)
        wide[:, : packed.shape[1]] = packed
        masks[:, m] = wide.view("<u4")[:, 0].astype(np.int64) << shift
    return masks


def _activity_rows(
    active: np.ndarray, owner: np.ndarray, rank: np.ndarray, number: np.ndarray, timeline: Timeline
) -> dict[str, np.ndarray]:
    masks = _month_masks(active, timeline)
    user, month = np.nonzero(masks)
    return {
        "account": owner[user],
        "month": month,
        "user_hash": user_hash(number[owner[user]], rank[user]),
        "active_days": masks[user, month],
    }


def _feature_rows(
    rng: np.random.Generator, inp: UsageInputs, dau: np.ndarray, timeline: Timeline
) -> dict[str, np.ndarray]:
    accounts, features = int(dau.shape[0]), len(cat.FEATURES)
    threshold = FEATURE_THRESHOLD[None, :] + rng.normal(0, 0.6, size=(accounts, features))
    rate = np.clip(FEATURE_USER_RATE[None, :] * rng.uniform(0.6, 1.4, size=(accounts, features)), 0.0, 1.0)
    rate[:, 0] = 1.0  # workspace: every active user lands there
    api_utilisation = rng.beta(2.0, 3.0, size=accounts)
    by_plan, by_addon = feature_availability()
    available = by_plan[inp.plan]
    for bit in range(len(cat.ADDONS)):
        available |= ((inp.addons & (1 << bit)) > 0)[:, :, None] & by_addon[bit][None, None, :]
    in_use = available & (inp.engagement[:, :, None] > threshold[:, None, :]) & (dau > 0)[:, :, None]
    a, t, f = np.nonzero(in_use)
    e = inp.engagement[a, t].astype(np.float64)
    noise = np.asarray(rng.standard_normal(size=(3, int(a.size))))
    jitter = rng.random((2, a.size))
    # Users touching the feature: the day's active users x the account's rate for it, with
    # day-to-day noise (stochastic rounding keeps it cheap and never above the day's users).
    active = dau[a, t]
    users = np.minimum(active, np.floor(active * rate[a, f] * np.exp(0.3 * noise[0] - 0.045) + jitter[0]))
    users = np.where(f == 0, active, users).astype(np.int64)
    calls = np.zeros(a.size, dtype=np.int64)
    api = np.flatnonzero(f == cat.API_FEATURE_INDEX)
    weekend = timeline.weekday()[t[api]] >= 5
    limit = api_limit(inp.plan[a[api], t[api]], inp.addons[a[api], t[api]])
    mean_calls = (
        limit / 30.4 * api_utilisation[a[api]] * np.exp(0.4 * e[api]) * np.where(weekend, API_WEEKEND_FACTOR, 1.0)
    )
    calls[api] = np.round(mean_calls * np.exp(0.25 * noise[1, api]))
    keep = (users > 0) | (calls > 0)
    a, t, f, e, users, calls = a[keep], t[keep], f[keep], e[keep], users[keep], calls[keep]
    noise, jitter = noise[:, keep], jitter[:, keep]
    events = (
        np.floor(users * FEATURE_EVENTS[f] * np.exp(0.25 * e + 0.3 * noise[1]) + jitter[1]).astype(np.int64)
        + users
        + calls // 500
    )
    minutes = np.round(users * FEATURE_MINUTES[f] * np.exp(0.35 * e + 0.25 * noise[2]), 1)
    return {
        "account": a,
        "t": t,
        "feature_id": FEATURE_IDS[f],
        "events": events.astype(np.int32),
        "active_users": users.astype(np.int32),
        "minutes": minutes,
        "api_calls": calls,
    }


def simulate_block(rng: np.random.Generator, inp: UsageInputs, timeline: Timeline) -> UsageBlock:
    active, owner, rank, starts = _active_matrix(rng, inp, timeline)
    dau = np.add.reduceat(active, starts, axis=0, dtype=np.int32)
    activity = _activity_rows(active, owner, rank, inp.number, timeline)
    del active
    return UsageBlock(daily=_feature_rows(rng, inp, dau, timeline), activity=activity, dau=dau)
