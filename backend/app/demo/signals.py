"""Support, sentiment and relationship signals of a block of accounts: tickets, NPS and
CSAT responses, and CSM touchpoints.

- *Tickets* arrive as a Poisson process whose rate grows with seats and usage and with
  low satisfaction; low satisfaction also means more P1/P2s, escalations and slower
  responses and resolutions. Unhappy accounts still live at the end of the window get an
  open P1/P2 that is more than a day old (the critical-ticket alert has something to fire on).
- *CSAT* follows some solved tickets (score from satisfaction and how long it took); the
  score is stored on the ticket and as a ``csat`` survey response from a contact.
- *NPS* is surveyed quarterly; each contact answers with some probability, scoring
  ``8.4 + 2 x satisfaction`` plus noise.
- *Touchpoints* are the owner's calls, emails, meetings and notes (more for larger
  segments; unhappy customers take fewer calls and meetings while their CSM sends more
  emails) plus quarterly QBRs, which unhappy accounts skip more often; their sentiment
  reflects satisfaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from app.demo import catalog as cat
from app.demo.accounts import ContactFrame, Staff
from app.demo.latent import sigmoid
from app.demo.timeline import Timeline

TICKET_RATE = np.array([0.045, 0.12, 0.30])  # per account-day at neutral state, by segment
RESOLVE_HOURS = np.array([8.0, 24.0, 96.0, 160.0])
RESPOND_HOURS = np.array([0.5, 2.0, 6.0, 14.0])
TOUCH_RATE = np.array([0.025, 0.07, 0.17])
QBR_SHARE = np.array([0.1, 0.6, 0.9])
TOUCH_KINDS = ("call", "email", "meeting", "note")
TOUCH_KIND_SHARE = (0.30, 0.35, 0.20, 0.15)
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass
class SignalInputs:
    """One block of accounts: rows are global account indices; arrays are (accounts, days)."""

    rows: np.ndarray
    ids: list[uuid.UUID]
    number: np.ndarray
    segment: np.ndarray
    owner: np.ndarray
    t_contract: np.ndarray
    live: np.ndarray
    seats: np.ndarray
    engagement: np.ndarray
    satisfaction: np.ndarray
    contacts: ContactFrame
    staff: Staff


def _business_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fraction of the day: mostly 08:00-19:00 UTC, some at any hour."""
    office = rng.uniform(8 / 24, 19 / 24, size=n)
    return np.where(rng.random(n) < 0.85, office, rng.random(n))


def _events(rng: np.random.Generator, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson events per (account, day): their account rows and day indices, in order."""
    counts = rng.poisson(rate)
    a, t = np.nonzero(counts)
    reps = counts[a, t]
    return np.repeat(a, reps), np.repeat(t, reps)


def _ordinal(a: np.ndarray) -> np.ndarray:
    """1-based running number of each entry within its (sorted) account."""
    if a.size == 0:
        return a
    first = np.r_[True, a[1:] != a[:-1]]
    starts = np.flatnonzero(first)
    return np.arange(a.size) - np.repeat(starts, np.diff(np.r_[starts, a.size])) + 1


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random(size=probs.shape[0]) * cdf[:, -1]
    return np.asarray((u[:, None] > cdf).sum(axis=1))


def _maybe(times: list[datetime], keep: np.ndarray) -> list[datetime | None]:
    return [v if k else None for v, k in zip(times, keep.tolist(), strict=True)]


@dataclass
class Tickets:
    a: np.ndarray
    opened: np.ndarray  # fractional day index
    priority: np.ndarray
    respond_h: np.ndarray
    resolve_h: np.ndarray
    escalated: np.ndarray
    area: np.ndarray
    subject: np.ndarray
    csat: np.ndarray  # 0 = no answer
    csat_lag_h: np.ndarray


def _draw_tickets(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline) -> Tickets:
    weekday = np.where(timeline.weekday() >= 5, 0.35, 1.0)
    size = np.sqrt(np.maximum(inp.seats, 1) / np.asarray(cat.SEATS_MEDIAN)[inp.segment][:, None])
    usage = 0.6 + 0.8 * sigmoid(1.5 * inp.engagement)
    rate = TICKET_RATE[inp.segment][:, None] * size * usage * np.exp(-0.7 * inp.satisfaction) * weekday * inp.live
    a, t = _events(rng, rate)
    s = inp.satisfaction[a, t].astype(np.float64)
    logits = np.stack([-3.6 - 0.5 * s, -2.0 - 0.35 * s, np.zeros_like(s), np.full_like(s, -0.4)], axis=1)
    priority = _categorical(rng, np.exp(logits)) + 1
    escalated = rng.random(a.size) < sigmoid(-4.3 + 1.5 * (priority <= 2) - 0.7 * s)
    slow = np.exp(-0.45 * s) * np.where(escalated, 1.5, 1.0)
    resolve_h = RESOLVE_HOURS[priority - 1] * slow * rng.lognormal(0, 0.9, size=a.size)
    respond_h = np.minimum(
        RESPOND_HOURS[priority - 1] * np.exp(-0.25 * s) * rng.lognormal(0, 0.8, size=a.size), resolve_h
    )
    friction = np.asarray(cat.AREA_FRICTION)[None, :] * np.maximum(-s, 0.0)[:, None]
    area = _categorical(rng, np.asarray(cat.AREA_WEIGHT)[None, :] * np.exp(0.8 * friction))
    answered = rng.random(a.size) < 0.45
    score = np.round(4.8 + 0.45 * s - 0.15 * np.log1p(resolve_h / 24) + rng.normal(0, 0.7, size=a.size))
    return Tickets(
        a=a,
        opened=t + _business_hours(rng, a.size),
        priority=priority,
        respond_h=respond_h,
        resolve_h=resolve_h,
        escalated=escalated,
        area=area,
        subject=rng.integers(0, 4, size=a.size),
        csat=np.where(answered, np.clip(score, 1, 5), 0).astype(np.int64),
        csat_lag_h=rng.uniform(0.5, 48, size=a.size),
    )


def _critical_open(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline, tickets: Tickets) -> Tickets:
    """Add an open, aged P1/P2 to some of the unhappiest accounts live at the end."""
    s_end = inp.satisfaction[:, -1]
    who = np.flatnonzero(inp.live[:, -9:].all(axis=1) & (s_end < -1.6) & (rng.random(s_end.size) < 0.2))
    k = who.size
    extra = Tickets(
        a=who,
        opened=timeline.days - rng.uniform(1.5, 8.0, size=k),
        priority=rng.integers(1, 3, size=k),
        respond_h=rng.uniform(0.5, 6.0, size=k),
        resolve_h=np.full(k, 1e6),
        escalated=rng.random(k) < 0.6,
        area=_categorical(rng, np.tile(np.asarray(cat.AREA_WEIGHT) * np.exp(np.asarray(cat.AREA_FRICTION)), (k, 1))),
        subject=rng.integers(0, 4, size=k),
        csat=np.zeros(k, dtype=np.int64),
        csat_lag_h=np.zeros(k),
    )
    merged = {
        name: np.concatenate([getattr(tickets, name), getattr(extra, name)]) for name in tickets.__dataclass_fields__
    }
    order = np.lexsort((merged["opened"], merged["a"]))
    return Tickets(**{name: values[order] for name, values in merged.items()})


def _contact_picks(rng: np.random.Generator, inp: SignalInputs, a: np.ndarray) -> np.ndarray:
    """A random contact (global contact index) of each given block account."""
    first = np.searchsorted(inp.contacts.account, inp.rows)
    count = np.searchsorted(inp.contacts.account, inp.rows, side="right") - first
    return np.asarray(first[a] + (rng.random(size=a.size) * count[a]).astype(np.int64))


def ticket_rows(
    rng: np.random.Generator, inp: SignalInputs, timeline: Timeline
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """``ticket`` records and the ``survey_response`` (csat) records that follow them."""
    tk = _critical_open(rng, inp, timeline, _draw_tickets(rng, inp, timeline))
    end = float(timeline.days)
    respond, resolve = tk.opened + tk.respond_h / 24, tk.opened + tk.resolve_h / 24
    responded, resolved = respond < end, resolve < end
    csat_at = resolve + tk.csat_lag_h / 24
    has_csat = resolved & (tk.csat > 0) & (csat_at < end)
    status = np.where(
        resolved,
        np.where(resolve < end - 7, "closed", "solved"),
        np.where(rng.random(tk.a.size) < 0.25, "pending", "open"),
    )
    sla = tk.opened + np.asarray(cat.TICKET_SLA_HOURS)[tk.priority - 1] / 24
    number = inp.number[tk.a]
    source = [f"zd-{n:06d}-{k:05d}" for n, k in zip(number.tolist(), _ordinal(tk.a).tolist(), strict=True)]
    ids = [inp.ids[i] for i in tk.a.tolist()]
    areas = [cat.PRODUCT_AREAS[i] for i in tk.area.tolist()]
    subjects = [cat.TICKET_SUBJECTS[i][j] for i, j in zip(tk.area.tolist(), tk.subject.tolist(), strict=True)]
    csat = [c if h else None for c, h in zip(tk.csat.tolist(), has_csat.tolist(), strict=True)]
    tickets = list(
        zip(
            source,
            ids,
            tk.priority.tolist(),
            status.tolist(),
            timeline.timestamps(tk.opened),
            _maybe(timeline.timestamps(np.minimum(respond, end)), responded),
            _maybe(timeline.timestamps(np.minimum(resolve, end)), resolved),
            tk.escalated.tolist(),
            timeline.timestamps(sla),
            csat,
            areas,
            subjects,
            strict=True,
        )
    )
    return tickets, _csat_rows(rng, inp, timeline, tk, np.flatnonzero(has_csat), csat_at)


def _csat_rows(
    rng: np.random.Generator,
    inp: SignalInputs,
    timeline: Timeline,
    tk: Tickets,
    picked: np.ndarray,
    csat_at: np.ndarray,
) -> list[tuple[Any, ...]]:
    """CSAT responses to the ``picked`` tickets, from a random contact of the account."""
    contact = _contact_picks(rng, inp, tk.a[picked])
    ordinal = _ordinal(tk.a)[picked]
    return list(
        zip(
            [f"csat-{n:06d}-{k:05d}" for n, k in zip(inp.number[tk.a[picked]].tolist(), ordinal.tolist(), strict=True)],
            [inp.ids[i] for i in tk.a[picked].tolist()],
            [inp.contacts.ids[c] for c in contact.tolist()],
            [inp.contacts.emails[c] for c in contact.tolist()],
            ["csat"] * picked.size,
            tk.csat[picked].tolist(),
            timeline.timestamps(csat_at[picked]),
            [None] * picked.size,
            strict=True,
        )
    )


NPS_RESPONSE_RATE = {"champion": 0.5, "executive_sponsor": 0.25, "decision_maker": 0.3, "admin": 0.35, "user": 0.25}


def nps_rows(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline) -> list[tuple[Any, ...]]:
    """Quarterly NPS campaigns (January, April, July, October) answered by some contacts."""
    starts, firsts = timeline.month_starts()
    campaigns = np.array(
        [i for i, f in zip(starts.tolist(), firsts, strict=True) if f.month in (1, 4, 7, 10) and f >= timeline.start]
    )
    lo = np.searchsorted(inp.contacts.account, inp.rows[0])
    hi = np.searchsorted(inp.contacts.account, inp.rows[-1], side="right")
    if campaigns.size == 0 or hi == lo:
        return []
    contact = np.repeat(np.arange(lo, hi), campaigns.size)
    a = np.searchsorted(inp.rows, inp.contacts.account[contact])
    rate = np.array([NPS_RESPONSE_RATE[r] for r in inp.contacts.roles[lo:hi]]).repeat(campaigns.size)
    day = np.tile(campaigns, hi - lo) + rng.integers(0, 21, size=contact.size)
    day = np.minimum(day, timeline.days - 1)
    keep = (rng.random(contact.size) < rate) & inp.live[a, day]
    contact, a, day = contact[keep], a[keep], day[keep]
    s = inp.satisfaction[a, day].astype(np.float64)
    score = np.clip(np.round(8.4 + 2.0 * s + rng.normal(0, 1.3, size=a.size)), 0, 10).astype(np.int64)
    band = np.select([score <= 6, score <= 8], [0, 1], 2)
    pick = rng.integers(0, 4, size=a.size)
    comment = [
        cat.NPS_COMMENTS[b][p] if c else None
        for b, p, c in zip(band.tolist(), pick.tolist(), (rng.random(a.size) < 0.4).tolist(), strict=True)
    ]
    order = np.lexsort((day, a))
    return [
        (
            f"nps-{int(inp.number[a[i]]):06d}-{c - lo + 1:02d}-{int(day[i])}",
            inp.ids[a[i]],
            inp.contacts.ids[c],
            inp.contacts.emails[c],
            "nps",
            int(score[i]),
            when,
            comment[i],
        )
        for i, c, when in zip(
            order.tolist(),
            contact[order].tolist(),
            timeline.timestamps(day[order] + _business_hours(rng, a.size)),
            strict=True,
        )
    ]


def _qbr_days(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline) -> tuple[np.ndarray, np.ndarray]:
    quarters = timeline.days // 91 + 3
    offset = (inp.t_contract + 60) % 91
    day = (
        offset[:, None]
        + 91 * np.arange(-1, quarters - 1)[None, :]
        + rng.integers(-15, 16, size=(inp.rows.size, quarters))
    )
    a = np.repeat(np.arange(inp.rows.size), quarters)
    day = day.ravel()
    ok = (day >= 0) & (day < timeline.days)
    a, day = a[ok], day[ok]
    held = inp.live[a, day] & (
        rng.random(a.size) < QBR_SHARE[inp.segment[a]] * sigmoid(1.0 + 2.0 * inp.satisfaction[a, day])
    )
    return a[held], day[held]


def _touch_events(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline) -> tuple[np.ndarray, ...]:
    """Calls, emails, meetings and notes: (account row, day, kind index)."""
    weekday = np.where(timeline.weekday() >= 5, 0.05, 1.0)
    base = TOUCH_RATE[inp.segment][:, None] * weekday * inp.live
    # Calls and meetings need a customer who shows up; emails go out more when in trouble.
    engaged = np.exp(0.8 * inp.satisfaction)
    chased = 1.0 + 0.4 * (inp.satisfaction < -0.5)
    parts = []
    for k, (name, share) in enumerate(zip(TOUCH_KINDS, TOUCH_KIND_SHARE, strict=True)):
        factor = engaged if name in ("call", "meeting") else chased if name == "email" else 1.0
        a_k, t_k = _events(rng, base * share * factor)
        parts.append((a_k, t_k, np.full(a_k.size, k)))
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def touchpoint_rows(rng: np.random.Generator, inp: SignalInputs, timeline: Timeline) -> list[tuple[Any, ...]]:
    a, t, kind = _touch_events(rng, inp, timeline)
    qbr_a, qbr_t = _qbr_days(rng, inp, timeline)
    a, t = np.concatenate([a, qbr_a]), np.concatenate([t, qbr_t])
    kinds = np.concatenate([np.asarray(TOUCH_KINDS)[kind], np.full(qbr_a.size, "qbr")])
    when = t + _business_hours(rng, a.size)
    order = np.lexsort((when, a))
    a, t, kinds, when = a[order], t[order], kinds[order], when[order]
    s = inp.satisfaction[a, t].astype(np.float64)
    u = rng.random(a.size)
    negative = sigmoid(-2.0 - 1.6 * s)
    sentiment = np.where(u < negative, 0, np.where(u < negative + sigmoid(-0.4 + 1.6 * s), 2, 1))
    owner = inp.owner[a].tolist()
    words = [SENTIMENTS[v] for v in sentiment.tolist()]
    numbers = zip(inp.number[a].tolist(), _ordinal(a).tolist(), strict=True)
    return list(
        zip(
            [f"tp-{n:06d}-{k:05d}" for n, k in numbers],
            [inp.ids[i] for i in a.tolist()],
            kinds.tolist(),
            [inp.staff.ids[o] for o in owner],
            [inp.staff.emails[o] for o in owner],
            timeline.timestamps(when),
            words,
            [
                cat.TOUCH_SUMMARIES[k][0].format(s=cat.SENTIMENT_WORDS[w])
                for k, w in zip(kinds.tolist(), words, strict=True)
            ],
            strict=True,
        )
    )
