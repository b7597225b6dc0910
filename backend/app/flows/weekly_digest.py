"""The weekly digest (Monday 08:00 UTC) to every channel subscribed to ``digest.weekly``: the
seven leadership metrics with their week-over-week change, and for the recipient's scope
revenue at risk, quadrant movers, renewals at risk in 90 days, the top of the queue and
data-hygiene warnings. Also its preview and "send me a test".

Whose accounts: an email channel whose address is an active user's gets that user's default
scope (``access.resolve_scope``: a CSM their own book, a leader with reports their team);
any other channel the whole book. The digest is built once per distinct scope. The
leadership metrics are the whole book's for everyone, as the Leadership page shows them.

What a delivery stores is what it sends, rendered once when it is queued (email: subject,
text, HTML and the charts as base64 PNGs; Slack: text and blocks; webhooks: the digest's
data): a retry sends exactly the same thing, even if the book changed in between.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth import repository as auth_repository
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.enums import DeliveryChannel, Quadrant, Role, move_direction
from app.core.errors import FieldError, NotFound, Unprocessable
from app.hygiene import service as hygiene
from app.notifications import service as notifications
from app.notifications.models import Delivery, NotificationChannel
from app.quadrants import repository as quadrants
from app.queue import service as queue
from app.renewals import repository as renewals
from app.renewals.schemas import TERM_RENEWALS
from app.reports import digest as render
from app.reports.schemas import (
    METRICS,
    Digest,
    DigestMetric,
    DigestMover,
    DigestMovers,
    DigestPoint,
    DigestQueue,
    DigestQueueItem,
    DigestRenewal,
    DigestRenewals,
    DigestRisk,
    QuadrantMoves,
    RiskPart,
    SlackMessage,
)
from app.revenue import metrics
from app.revenue.metrics import add_months
from app.revenue.schemas import Summary
from app.scoring import risk
from app.scoring.service import today
from app.team import service as team

EVENT = "digest.weekly"
WEEK = 7
RENEWAL_DAYS = 90
# A renewal is at risk below this health (as ``renewals.repository.at_risk`` reads it).
AT_RISK_HEALTH = 60
RENEWALS_SHOWN = 10
MOVERS_SHOWN = 5
QUEUE_SHOWN = 5
HYGIENE_SHOWN = 5
NO_SMTP = (
    "Email is not set up on this server: set TEMPO_SMTP_HOST (and TEMPO_SMTP_PORT) to an SMTP relay, "
    "or send the test to a Slack or webhook channel"
)

PreviewFormat = Literal["html", "json", "slack"]


# -- the digest's data -----------------------------------------------------------------------


def last_full_month(summary: Summary) -> Any:
    """The series point of the month before ``as_of``'s (the Leadership page's "last full month")."""
    wanted = add_months(summary.as_of.replace(day=1), -1)
    return next((p for p in summary.series if p.month == wanted), None)


def metric_values(summary: Summary) -> dict[str, float | None]:
    """The seven KPIs' headline figures, as the Leadership page picks them from the summary."""
    full = last_full_month(summary)
    return {
        "arr": summary.arr,
        "nrr": summary.nrr_ttm,
        "grr": summary.grr_ttm,
        "logo_churn": summary.logo_churn_monthly,
        "revenue_churn": summary.revenue_churn_monthly,
        "expansion": full.expansion if full else None,
        "net_new": summary.net_new_arr_existing.last_30_days,
    }


def metric_periods(summary: Summary) -> dict[str, str]:
    """What each headline figure covers."""
    full = last_full_month(summary)
    month = f"{full.month:%b %Y}{' · provisional' if full.provisional else ''}" if full else "last full month"
    return {
        "arr": "today",
        "nrr": "twelve months to date",
        "grr": "twelve months to date",
        "logo_churn": month,
        "revenue_churn": "mean of the last 12 full months",
        "expansion": month,
        "net_new": "last 30 days",
    }


# ARR and NRR/GRR over twelve months are figures to date, which the revenue rollups keep by
# month only: a week ago they read the start of that day's month (``metrics.to_date_on``), and
# ``compared_on`` says so. The others (full months, day windows) are exact a week ago.
TO_DATE = frozenset({"arr", "nrr", "grr"})


def leadership_metrics(now: Summary, before: Summary) -> list[DigestMetric]:
    """The seven leadership KPIs today against the summary as of a week ago."""
    values, previous, periods = metric_values(now), metric_values(before), metric_periods(now)
    out = []
    for m in METRICS:
        value, then = values[m.key], previous[m.key]
        compared_on = (before.to_date_on or before.as_of) if m.key in TO_DATE else before.as_of
        out.append(
            DigestMetric(
                key=m.key,
                label=m.label,
                kind=m.kind,
                better_when=m.better_when,
                value=value,
                period=periods[m.key],
                previous=then,
                compared_on=compared_on,
                change=None if value is None or then is None else value - then,
            )
        )
    return out


async def _movers(session: AsyncSession, day: date, scope: access.ListScope) -> DigestMovers:
    """The week's quadrant moves of the scope (the seven days ending ``day``)."""
    rows, _ = await quadrants.moves(
        session, day - timedelta(days=WEEK - 1), day, None, 100_000, 0, None, scope.params()
    )
    counts = {q: {"better": 0, "worse": 0, "sideways": 0} for q in Quadrant}
    movers: dict[Any, DigestMover] = {}
    for r in rows:
        to_q = Quadrant(r["to_quadrant"])
        from_q = Quadrant(r["from_quadrant"]) if r["from_quadrant"] else None
        direction = move_direction(from_q, to_q)
        counts[to_q][direction] += 1
        # newest first: an account that moved twice shows its latest move
        movers.setdefault(
            r["account_id"],
            DigestMover(
                account_id=r["account_id"],
                name=r["name"],
                arr=float(r["arr"] or 0),
                moved_on=r["moved_on"],
                from_quadrant=from_q,
                to_quadrant=to_q,
                direction=direction,  # type: ignore[arg-type]
            ),
        )
    largest = sorted(movers.values(), key=lambda m: (-m.arr, m.name))[:MOVERS_SHOWN]
    return DigestMovers(
        moves=len(rows),
        into_churn_risk=sum(1 for r in rows if r["to_quadrant"] == Quadrant.churn_risk),
        left_champions=sum(1 for r in rows if r["from_quadrant"] == Quadrant.champions),
        by_quadrant=[QuadrantMoves(quadrant=q, **c) for q, c in counts.items()],
        largest=largest,
    )


async def _renewals(session: AsyncSession, day: date, scope: access.ListScope) -> DigestRenewals:
    """Open term renewals of the scope due in the next 90 days on accounts below health 60,
    the largest first (the renewals list's rows, as ``renewals.service.list_renewals`` asks)."""
    rows = await renewals.rows(
        session,
        {
            "today": day,
            "within": RENEWAL_DAYS,
            "status": "open",
            "forecast": None,
            "segment": None,
            "owner": None,
            "id": None,
            "terms": list(TERM_RENEWALS),
            "limit": 100_000,
            **scope.params(),
        },
    )
    at_risk = [r for r in rows if r["health_score"] is not None and r["health_score"] < AT_RISK_HEALTH]
    at_risk.sort(key=lambda r: (-r["arr_up_for_renewal"], r["renewal_date"], r["account_name"]))
    return DigestRenewals(
        count=len(at_risk),
        arr=sum(r["arr_up_for_renewal"] for r in at_risk),
        items=[
            DigestRenewal(
                account_id=r["account_id"],
                name=r["account_name"],
                renewal_date=r["renewal_date"],
                days_to_renewal=r["days_to_renewal"],
                arr=r["arr_up_for_renewal"],
                health_score=r["health_score"],
            )
            for r in at_risk[:RENEWALS_SHOWN]
        ],
    )


async def _queue(session: AsyncSession, scope: access.ListScope) -> DigestQueue:
    ranked = (await queue.ranked(session, None, "risk", scope=scope)).items
    return DigestQueue(
        risks=len(ranked),
        at_stake=sum(i.value for i in ranked),
        items=[
            DigestQueueItem(
                rank=i.rank, account_id=i.account.id, account_name=i.account.name, reason=i.reason, value=i.value
            )
            for i in ranked[:QUEUE_SHOWN]
        ],
    )


async def _risk(session: AsyncSession, scope: access.ListScope) -> DigestRisk:
    found = await risk.revenue_at_risk(session, accounts=await team.scope_accounts(session, scope))
    return DigestRisk(
        value=found.revenue_at_risk,
        arr=found.arr,
        accounts=found.accounts,
        by_band=[RiskPart(key=g.key, accounts=g.accounts, arr=g.arr, at_risk=g.at_risk) for g in found.by_band],
    )


def scope_label(scope: access.ListScope) -> str:
    return render.SCOPE_LABELS[scope.name]


@dataclass(frozen=True)
class Leadership:
    """The leadership summary today and as of a week ago: the whole book's, the same for every
    scope (read once per sending)."""

    now: Summary
    before: Summary


async def leadership(session: AsyncSession) -> Leadership:
    day = today()
    return Leadership(await metrics.summary(session), await metrics.summary(session, day - timedelta(days=WEEK)))


async def build(
    session: AsyncSession,
    scope: access.ListScope = access.EVERY_ACCOUNT,
    *,
    test: bool = False,
    figures: Leadership | None = None,
) -> Digest:
    """The digest of one scope, as of today (``figures``: the leadership summaries, when read already)."""
    day = today()
    start = day - timedelta(days=WEEK - 1)
    figures = figures or await leadership(session)
    now, before = figures.now, figures.before
    subject = f"Tempo weekly digest — {start:%b} {start.day} to {day:%b} {day.day}"
    return Digest(
        subject=f"[Test] {subject}" if test else subject,
        week_starting=start,
        week_ending=day,
        scope=scope.name,
        scope_label=scope_label(scope),
        currency=now.currency,
        app_url=get_settings().public_url.rstrip("/"),
        metrics=leadership_metrics(now, before),
        series=[
            DigestPoint(month=p.month, arr=p.arr, nrr=p.nrr, grr=p.grr, provisional=p.provisional) for p in now.series
        ],
        revenue_at_risk=await _risk(session, scope),
        movers=await _movers(session, day, scope),
        renewals_at_risk=await _renewals(session, day, scope),
        queue=await _queue(session, scope),
        hygiene=await hygiene.warnings(session, scope, limit=HYGIENE_SHOWN),
        test=test,
    )


# -- what each kind of channel is sent -------------------------------------------------------


@dataclass
class Rendered:
    """One scope's digest and, once an email needs them, its charts (drawn once)."""

    digest: Digest
    images: dict[str, bytes] | None = field(default=None)

    async def charts(self) -> dict[str, bytes]:
        if self.images is None:
            self.images = await asyncio.to_thread(render.render_charts, self.digest)
        return self.images

    async def payload(self, kind: DeliveryChannel) -> dict[str, Any]:
        d = self.digest
        if kind == DeliveryChannel.email:
            return {
                "subject": d.subject,
                "text": render.text(d),
                "html": render.html(d, render.cid_sources()),
                "images": render.inline_images(await self.charts()),
                "test": d.test,
            }
        if kind == DeliveryChannel.slack:
            return {"subject": d.subject, **render.slack(d).model_dump(), "test": d.test}
        return {**d.model_dump(mode="json"), "text": render.text(d)}


def principal_of(user: Any) -> Principal:
    return Principal("user", user.id, Role(user.role), user.email)


async def recipient_scope(session: AsyncSession, channel: NotificationChannel) -> access.ListScope:
    """An email channel to an active user's address: that user's default scope; else every account."""
    if channel.kind == DeliveryChannel.email:
        user = await auth_repository.user_by_email(session, channel.target)
        if user is not None and user.is_active:
            return await access.resolve_scope(session, principal_of(user))
    return access.EVERY_ACCOUNT


async def emit_weekly(session: AsyncSession) -> list[Delivery]:
    """One delivery per subscribed channel, the digest built once per distinct scope."""
    built: dict[access.ListScope, Rendered] = {}
    figures: Leadership | None = None
    out = []
    for channel in await notifications.subscribed(session, EVENT):
        scope = await recipient_scope(session, channel)
        if scope not in built:
            figures = figures or await leadership(session)
            built[scope] = Rendered(await build(session, scope, figures=figures))
        payload = await built[scope].payload(DeliveryChannel(channel.kind))
        out.append(await notifications.emit_to(session, channel, EVENT, payload))
    return out


async def send_weekly_digest(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        return len(await emit_weekly(session))


# -- preview and tests -----------------------------------------------------------------------


async def preview(
    session: AsyncSession, principal: Principal, requested: access.ScopeName | None, fmt: PreviewFormat
) -> tuple[Digest, Digest | SlackMessage | str]:
    """The digest of a scope the caller reads (by default theirs), and it as asked: its data,
    its Slack message, or its HTML with the charts as ``data:`` URIs (a browser frame shows it
    as the email would)."""
    digest = await build(session, await access.resolve_scope(session, principal, requested))
    if fmt == "json":
        return digest, digest
    if fmt == "slack":
        return digest, render.slack(digest)
    images = await Rendered(digest).charts()
    return digest, render.html(digest, render.data_sources(images))


def _no_smtp() -> Unprocessable:
    return Unprocessable(
        NO_SMTP, errors=[FieldError(loc=["body", "channel_id"], msg=NO_SMTP, type="smtp_not_configured")]
    )


async def send_test(session: AsyncSession, principal: Principal, channel_id: Any | None) -> list[Delivery]:
    """A test digest through the normal delivery path (a delivery row, sent after commit,
    retried): without a channel, an email to the caller's own address with their default
    scope; to a channel (admins and leaders), what that channel would get on Monday."""
    if channel_id is None:
        if principal.user_id is None or not principal.email:
            msg = "An API key has no email address: name a channel (channel_id) to send the test to"
            raise Unprocessable(msg, errors=[FieldError(loc=["body", "channel_id"], msg=msg, type="missing")])
        if not notifications.email_configured():
            raise _no_smtp()
        scope = await access.resolve_scope(session, principal)
        rendered = Rendered(await build(session, scope, test=True))
        payload = await rendered.payload(DeliveryChannel.email)
        delivery = await notifications.email_to(session, principal.email, EVENT, payload)
    else:
        access.require_every_account(principal, "Only admins and leaders send a test to a channel")
        channel = await notifications.get_channel(session, channel_id)
        if channel.kind == DeliveryChannel.email and not notifications.email_configured():
            raise _no_smtp()
        rendered = Rendered(await build(session, await recipient_scope(session, channel), test=True))
        payload = await rendered.payload(DeliveryChannel(channel.kind))
        delivery = await notifications.emit_to(session, channel, EVENT, payload)
    record(
        session,
        principal.actor,
        "digest.test",
        "delivery",
        delivery.id,
        {
            "channel": delivery.channel,
            "channel_id": str(channel_id) if channel_id else None,
            "scope": rendered.digest.scope,
        },
    )
    return [delivery]


async def delivery_of_test(session: AsyncSession, principal: Principal, delivery_id: Any) -> Delivery:
    """A test digest's delivery, for the one who asked for it to follow: admins and leaders any,
    others those sent to their own address. Anything else is not found."""
    delivery = await notifications.get_delivery(session, delivery_id)
    mine = (
        delivery is not None
        and principal.email is not None
        and delivery.channel_id is None
        and delivery.target.lower() == principal.email.lower()
    )
    if (
        delivery is None
        or delivery.event_type != EVENT
        or not (delivery.payload or {}).get("test")
        or not (mine or access.writes_every_account(principal))
    ):
        raise NotFound(f"No test digest delivery {delivery_id}")
    return delivery
