"""Who is in the demo book: the staff (CSMs, leaders), the accounts' static attributes
(segment, plan at signup, seats, channel, dates, owner...), their names and contacts.

Everything is drawn column-wise with numpy from one generator, so the book is identical
for identical parameters. Account ids are random v4 UUIDs sorted ascending: account
``i`` has the ``i``-th smallest id, which lets the hot tables be written in primary-key
order (cheap index appends) simply by emitting accounts in index order.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

import numpy as np

from app.demo import catalog as cat

# Storylines: a handful of accounts whose history is scripted so that every revenue
# movement (and both kinds of reactivation) appears even in a small book.
STORY_NONE = 0
STORY_QUICK_RETURN = 1  # payment fails, card fixed, back within 30 days
STORY_PAYMENT_LOST = 2  # payment fails, never returns
STORY_WINBACK = 3  # churns at renewal, won back months later
STORY_GROWTH = 4  # seat expansion, cross-sell, plan upgrade
STORY_DOWNSIZE = 5  # fewer seats, drops an add-on
STORIES = (STORY_QUICK_RETURN, STORY_PAYMENT_LOST, STORY_WINBACK, STORY_GROWTH, STORY_DOWNSIZE)
# (billed monthly?, contract start relative to the window start in days, plan at signup)
_STORY_SETUP = {
    STORY_QUICK_RETURN: (True, -200, 1),
    STORY_PAYMENT_LOST: (True, -260, 0),
    STORY_WINBACK: (False, -305, 2),
    STORY_GROWTH: (False, -165, 1),
    STORY_DOWNSIZE: (True, -245, 2),
}
MIN_WINDOW_FOR_STORIES = 300


def random_uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 UUIDs as a (n, 16) uint8 array."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    return raw


def to_uuid_objects(raw: np.ndarray) -> list[uuid.UUID]:
    """(n, 16) uint8 rows to UUID objects (not via ``S16``, which drops trailing NULs)."""
    blob = np.ascontiguousarray(raw, dtype=np.uint8).tobytes()
    return [uuid.UUID(bytes=blob[i : i + 16]) for i in range(0, len(blob), 16)]


def sort_uuids(raw: np.ndarray) -> np.ndarray:
    """Rows ordered as PostgreSQL orders uuids (byte-wise)."""
    halves = np.ascontiguousarray(raw).view(">u8")
    return raw[np.lexsort((halves[:, 1], halves[:, 0]))]


@dataclass
class Staff:
    ids: list[uuid.UUID]
    emails: list[str]
    names: list[str]
    roles: list[str]
    csm_count: int
    senior_count: int


@dataclass
class AccountFrame:
    """Static account attributes, one array entry per account (index = account number - 1)."""

    n: int
    uid: np.ndarray  # (n, 16) uint8, ascending as PostgreSQL sorts uuids
    ids: list[uuid.UUID]
    segment: np.ndarray
    tier: np.ndarray
    plan0: np.ndarray
    industry: np.ndarray
    region: np.ndarray
    channel: np.ndarray
    monthly: np.ndarray
    t_signup: np.ndarray
    t_contract: np.ndarray
    seats0: np.ndarray
    discount: np.ndarray
    addons0: np.ndarray  # (n, len(ADDONS)) bool
    onboarded: np.ndarray
    onboard_days: np.ndarray
    value_days: np.ndarray
    has_champion: np.ndarray
    has_exec: np.ndarray
    owner: np.ndarray  # index into Staff (CSMs first)
    story: np.ndarray
    names: list[str]
    domains: list[str]
    stripe_ids: list[str]


def make_staff(rng: np.random.Generator, accounts: int) -> Staff:
    csms = max(3, round(accounts / 150))
    seniors = math.ceil(csms / 3)
    width = max(2, len(str(csms)))
    firsts = rng.permutation(len(cat.FIRST_NAMES))
    lasts = rng.integers(0, len(cat.LAST_NAMES), size=csms + 2)
    names = [f"{cat.FIRST_NAMES[firsts[i % len(firsts)]]} {cat.LAST_NAMES[lasts[i]]}" for i in range(csms + 2)]
    emails = [f"csm{i + 1:0{width}d}@{cat.DEMO_EMAIL_DOMAIN}" for i in range(csms)]
    emails += [f"leader{i + 1:02d}@{cat.DEMO_EMAIL_DOMAIN}" for i in range(2)]
    roles = ["csm"] * csms + ["leader"] * 2
    return Staff(
        ids=to_uuid_objects(random_uuids(rng, csms + 2)),
        emails=emails,
        names=names,
        roles=roles,
        csm_count=csms,
        senior_count=seniors,
    )


def _choice(rng: np.random.Generator, probs_by_row: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per-entry categorical draw where entry ``i`` uses the distribution ``probs_by_row[rows[i]]``."""
    cdf = np.cumsum(np.asarray(probs_by_row, dtype=np.float64), axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(size=int(rows.shape[0]))
    return np.asarray((u[:, None] > cdf[rows]).sum(axis=1), dtype=np.int64)


def _signup_days(rng: np.random.Generator, n: int, window_days: int) -> np.ndarray:
    """A quarter of the book predates the window; the rest signs up at a growing pace."""
    older = rng.random(n) < 0.25
    growth = np.sqrt(rng.random(n))
    flat = rng.random(n)
    inside = np.where(rng.random(n) < 0.5, growth, flat) * (window_days - 45)
    before = -rng.uniform(20, 365 * 3.5, size=n)
    return np.floor(np.where(older, before, inside)).astype(np.int64)


def make_accounts(rng: np.random.Generator, n: int, window_days: int, staff: Staff) -> AccountFrame:
    uid = sort_uuids(random_uuids(rng, n))
    segment = rng.choice(3, size=n, p=cat.SEGMENT_SHARE).astype(np.int64)
    tier = _choice(rng, np.array([[0.35, 0.45, 0.20], [0.30, 0.45, 0.25], [0.22, 0.45, 0.33]]), segment)
    monthly = rng.random(n) < np.asarray(cat.MONTHLY_SHARE)[segment]
    t_signup = _signup_days(rng, n, window_days)
    channel = _choice(rng, np.asarray(cat.CHANNEL_BY_SEGMENT), segment)
    trial = np.where(channel == 3, rng.integers(7, 31, size=n), rng.integers(0, 11, size=n))
    t_contract = np.minimum(t_signup + trial, window_days - 20)
    low, high = np.asarray(cat.SEATS_RANGE).T
    seats = np.exp(np.log(np.asarray(cat.SEATS_MEDIAN)[segment]) + rng.normal(0, 0.55, size=n))
    onboard_base = np.array([30.0, 50.0, 80.0])[segment]
    frame = AccountFrame(
        n=n,
        uid=uid,
        ids=to_uuid_objects(uid),
        segment=segment,
        tier=tier,
        plan0=_choice(rng, np.asarray(cat.PLAN_BY_SEGMENT), segment),
        industry=rng.integers(0, len(cat.INDUSTRIES), size=n),
        region=rng.choice(4, size=n, p=cat.REGION_SHARE).astype(np.int64),
        channel=channel,
        monthly=monthly,
        t_signup=t_signup,
        t_contract=t_contract,
        seats0=np.clip(np.round(seats), low[segment], high[segment]).astype(np.int64),
        discount=np.round(np.array([0.0, 0.06, 0.15])[segment] * rng.random(n) * 1.6, 2),
        addons0=rng.random((n, len(cat.ADDONS))) < np.asarray(cat.ADDON_AT_START)[segment],
        onboarded=rng.random(n) > np.array([0.14, 0.08, 0.04])[segment] + 0.06 * (tier == 2),
        onboard_days=np.round(onboard_base * rng.uniform(0.5, 1.6, size=n)).astype(np.int64),
        value_days=np.round(onboard_base * rng.uniform(0.2, 0.8, size=n)).astype(np.int64),
        has_champion=rng.random(n) < np.array([0.92, 0.88, 0.78])[tier],
        has_exec=rng.random(n) < np.array([0.35, 0.65, 0.85])[segment],
        owner=np.zeros(n, dtype=np.int64),
        story=np.zeros(n, dtype=np.int64),
        names=[],
        domains=[],
        stripe_ids=[],
    )
    frame.owner = _assign_owners(rng, frame.segment, staff)
    frame.names, frame.domains = company_names(rng, n)
    frame.stripe_ids = _stripe_ids(rng, n)
    if n >= 12 and window_days >= MIN_WINDOW_FOR_STORIES:
        _script_storylines(rng, frame)
    return frame


def _assign_owners(rng: np.random.Generator, segment: np.ndarray, staff: Staff) -> np.ndarray:
    """Enterprise accounts go to senior CSMs, SMB to the others, Mid-Market to everyone."""
    seniors = np.arange(staff.senior_count)
    juniors = np.arange(staff.senior_count, staff.csm_count)
    everyone = np.arange(staff.csm_count)
    owner = np.zeros(segment.shape[0], dtype=np.int64)
    for seg, pool in ((2, seniors), (1, everyone), (0, juniors if juniors.size else everyone)):
        idx = np.flatnonzero(segment == seg)
        order = rng.permutation(idx.size)
        owner[idx] = pool[order % pool.size]
    return owner


def company_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Unique, deterministic company names (head + tail + kind) and matching domains."""
    heads, tails, kinds = len(cat.NAME_HEADS), len(cat.NAME_TAILS), len(cat.NAME_KINDS)
    space = heads * tails * kinds
    picks = np.concatenate([rng.permutation(space) for _ in range(n // space + 1)])[:n]
    rounds = np.arange(n) // space
    names: list[str] = []
    domains: list[str] = []
    seen: set[str] = set()
    for code, rnd in zip(picks.tolist(), rounds.tolist(), strict=True):
        h, rest = divmod(code, tails * kinds)
        t, k = divmod(rest, kinds)
        stem = cat.NAME_HEADS[h] + cat.NAME_TAILS[t]
        suffix = f" {rnd + 1}" if rnd else ""
        names.append(f"{stem} {cat.NAME_KINDS[k]}{suffix}")
        domain = f"{stem}{cat.NAME_KINDS[k]}{rnd or ''}".lower()
        while domain in seen:
            domain += "x"
        seen.add(domain)
        domains.append(domain + ".com")
    return names, domains


def _stripe_ids(rng: np.random.Generator, n: int) -> list[str]:
    alphabet = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype="S1")
    chars = alphabet[rng.integers(0, 62, size=(n, 14))]
    body = chars.view("S14").ravel()
    ids = ["cus_" + b.decode() for b in body.tolist()]
    if len(set(ids)) != n:  # astronomically unlikely; keep aliases unique regardless
        ids = [f"{v}{i}" for i, v in enumerate(ids)]
    return ids


def _script_storylines(rng: np.random.Generator, frame: AccountFrame) -> None:
    chosen = rng.choice(frame.n, size=len(STORIES), replace=False)
    for account, story in zip(chosen.tolist(), STORIES, strict=True):
        monthly, contract_day, plan = _STORY_SETUP[story]
        frame.story[account] = story
        frame.monthly[account] = monthly
        frame.segment[account] = 0 if monthly else 1
        frame.t_contract[account] = contract_day
        frame.t_signup[account] = contract_day - 5
        frame.plan0[account] = plan
        frame.seats0[account] = 30 if monthly else 60
        frame.onboarded[account] = True
        frame.addons0[account] = [story == STORY_DOWNSIZE, False, False]


@dataclass
class ContactFrame:
    """Contacts of every account, grouped by account (``account`` is non-decreasing)."""

    account: np.ndarray
    uid: np.ndarray  # (m, 16) uint8
    ids: list[uuid.UUID]
    names: list[str]
    emails: list[str]
    titles: list[str]
    roles: list[str]
    is_primary: list[bool]
    source_ids: list[str]

    def first_of_account(self) -> np.ndarray:
        """Index of each account's first contact (every account has at least two)."""
        return np.searchsorted(self.account, np.arange(int(self.account[-1]) + 1))


def _roles_for(frame: AccountFrame, i: int, count: int, decision: bool) -> list[str]:
    roles: list[str] = []
    if frame.has_champion[i]:
        roles.append("champion")
    if frame.has_exec[i]:
        roles.append("executive_sponsor")
    if decision:
        roles.append("decision_maker")
    roles.append("admin")
    roles += ["user"] * max(0, count - len(roles))
    return roles[: max(count, 2)]


def make_contacts(rng: np.random.Generator, frame: AccountFrame) -> ContactFrame:
    low = np.array([2, 3, 5])[frame.segment]
    high = np.array([4, 6, 8])[frame.segment]
    count = rng.integers(low, high + 1)
    decision = rng.random(frame.n) < np.array([0.2, 0.7, 0.9])[frame.segment]
    first_base = rng.integers(0, len(cat.FIRST_NAMES), size=frame.n)
    roles_by_account = [_roles_for(frame, i, int(count[i]), bool(decision[i])) for i in range(frame.n)]
    sizes = np.array([len(r) for r in roles_by_account], dtype=np.int64)
    account = np.repeat(np.arange(frame.n), sizes)
    rank = np.arange(account.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    first = (first_base[account] + 7 * rank) % len(cat.FIRST_NAMES)
    last = rng.integers(0, len(cat.LAST_NAMES), size=account.size)
    title_pick = rng.integers(0, 4, size=account.size)
    roles = [role for group in roles_by_account for role in group]
    names: list[str] = []
    emails: list[str] = []
    titles: list[str] = []
    for j, (a, f, la, role) in enumerate(zip(account.tolist(), first.tolist(), last.tolist(), roles, strict=True)):
        first_name, last_name = cat.FIRST_NAMES[f], cat.LAST_NAMES[la]
        names.append(f"{first_name} {last_name}")
        local = f"{first_name}.{last_name}".lower().replace("ü", "ue")
        emails.append(f"{local}@{frame.domains[a]}")
        options = cat.CONTACT_TITLES[role]
        titles.append(options[int(title_pick[j]) % len(options)])
    uid = random_uuids(rng, account.size)
    return ContactFrame(
        account=account,
        uid=uid,
        ids=to_uuid_objects(uid),
        names=names,
        emails=emails,
        titles=titles,
        roles=roles,
        is_primary=(rank == 0).tolist(),
        source_ids=[f"demo-contact-{a + 1:06d}-{r + 1}" for a, r in zip(account.tolist(), rank.tolist(), strict=True)],
    )
