"""The weekly digest rendered: an HTML email (tables for layout and inline CSS, so mail
clients show it as meant; charts as inline images), its plain-text alternative, and a Slack
Block Kit message with its text fallback. All three come from one ``Digest``.

The HTML names its images by source: ``cid:`` URLs for an email that carries them as inline
parts, ``data:`` URIs for the preview a browser shows in a frame (``sources``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from jinja2 import Environment, StrictUndefined

from app.reports import charts
from app.reports import format as fmt
from app.reports.schemas import METRIC_BY_KEY, Digest, DigestMetric, SlackMessage

CHARTS = ("arr", "retention", "movers")
ALT = {
    "arr": "ARR by month over the last 18 months",
    "retention": "NRR and GRR by month over the last 18 months",
    "movers": "This week's quadrant moves by the quadrant moved into",
}
HEIGHTS = {"arr": 170, "retention": 170, "movers": 150}
SCOPE_LABELS = {"mine": "Your accounts", "team": "Your team's accounts", "all": "Every account"}
BAND_LABELS = {"at_risk": "At risk", "watch": "Watch", "healthy": "Healthy", "unscored": "Unscored"}
GOOD, BAD, FLAT = "#16803c", "#c22f2f", "#6b7280"


def cid(name: str) -> str:
    """The Content-ID of a chart in the email (without the angle brackets)."""
    return f"{name}-chart@tempo"


def render_charts(digest: Digest) -> dict[str, bytes]:
    """The digest's three charts as PNG: ARR and NRR/GRR over 18 months (whole book), and the
    week's quadrant moves of the scope."""
    months = [p.month for p in digest.series]
    return {
        "arr": charts.arr_chart(months, [p.arr for p in digest.series], digest.currency),
        "retention": charts.retention_chart(months, [p.nrr for p in digest.series], [p.grr for p in digest.series]),
        "movers": charts.movers_chart(digest.movers.by_quadrant, height=HEIGHTS["movers"]),
    }


def cid_sources() -> dict[str, str]:
    return {name: f"cid:{cid(name)}" for name in CHARTS}


def data_sources(images: Mapping[str, bytes]) -> dict[str, str]:
    return {name: "data:image/png;base64," + base64.b64encode(png).decode() for name, png in images.items()}


def inline_images(images: Mapping[str, bytes]) -> list[dict[str, str]]:
    """The charts as an email payload carries them (JSON: base64)."""
    return [
        {
            "cid": cid(name),
            "filename": f"{name}.png",
            "content_type": "image/png",
            "data": base64.b64encode(images[name]).decode(),
        }
        for name in CHARTS
        if name in images
    ]


# -- figures as people read them -------------------------------------------------------------


@dataclass(frozen=True)
class MetricView:
    key: str
    label: str
    value: str
    period: str
    arrow: str
    change: str
    color: str
    compared: str


def figure(key: str, value: float | None, currency: str) -> str:
    """A KPI's headline as the Leadership page prints it."""
    definition = METRIC_BY_KEY[key]  # type: ignore[index]
    if definition.kind == "ratio":
        return fmt.percent(value, definition.digits)
    if key == "net_new":
        return fmt.signed_money(value, currency)
    return fmt.money_compact(value, currency)


def metric_value(m: DigestMetric, currency: str) -> str:
    return figure(m.key, m.value, currency)


def metric_view(m: DigestMetric, currency: str) -> MetricView:
    digits = METRIC_BY_KEY[m.key].digits
    compared = f"vs {fmt.short_day(m.compared_on)}"
    if m.change is None:
        return MetricView(m.key, m.label, metric_value(m, currency), m.period, "", "no comparison", FLAT, compared)
    if m.kind == "ratio":
        shown = round(m.change * 100, digits)
        change = fmt.points(m.change, digits)
    else:
        shown = round(m.change)
        change = fmt.signed_money(m.change, currency)
        if m.key == "arr" and m.previous:
            relative = m.change / m.previous * 100
            change += f" ({'+' if relative > 0 else fmt.MINUS}{abs(relative):.1f}%)"
    if shown == 0:
        return MetricView(m.key, m.label, metric_value(m, currency), m.period, "", "no change", FLAT, compared)
    up = shown > 0
    good = up == (m.better_when == "up")
    return MetricView(
        m.key, m.label, metric_value(m, currency), m.period, "▲" if up else "▼", change, GOOD if good else BAD, compared
    )


def week(digest: Digest) -> str:
    """ "Nov 29 to Dec 5, 2026" (with an en dash)."""
    return f"{fmt.short_day(digest.week_starting)} \u2013 {fmt.day(digest.week_ending)}"


def _risk_parts(digest: Digest) -> list[str]:
    return [
        f"{BAND_LABELS.get(g.key, g.key)} {fmt.money_compact(g.at_risk, digest.currency)}"
        for g in digest.revenue_at_risk.by_band
    ]


def _quadrant(value: Any) -> str:
    return charts.QUADRANT_LABELS.get(value.value, value.value) if value is not None else "no quadrant"


def _account_url(digest: Digest, account_id: Any) -> str:
    return f"{digest.app_url}/accounts/{account_id}"


# -- HTML ------------------------------------------------------------------------------------

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

_HTML = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{{ d.subject }}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background-color:#ffffff;border:1px solid #e5e7eb;border-radius:8px;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2330;font-size:14px;line-height:20px;">
<tr><td style="padding:24px 20px 8px 20px;">
  {% if d.test %}<p style="margin:0 0 8px 0;font-size:12px;color:#92400e;background-color:#fef3c7;padding:4px 8px;border-radius:4px;">A test of the weekly digest, sent on request.</p>{% endif %}
  <h1 style="margin:0;font-size:20px;line-height:28px;font-weight:700;color:#1f2330;">Tempo weekly digest</h1>
  <p style="margin:4px 0 0 0;color:#6b7280;font-size:13px;">{{ week }} &middot; {{ d.scope_label }}</p>
</td></tr>

<tr><td style="padding:16px 20px 4px 20px;">
  <h2 style="margin:0;font-size:15px;line-height:20px;font-weight:700;">Leadership metrics</h2>
  <p style="margin:2px 0 8px 0;color:#6b7280;font-size:12px;">The whole book, as the Leadership page shows it, against a week ago.</p>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">
  {% for m in metrics %}
    <tr data-metric="{{ m.key }}">
      <td style="padding:7px 0;border-top:1px solid #eef0f3;">
        <span style="font-weight:600;">{{ m.label }}</span><br>
        <span style="color:#6b7280;font-size:12px;">{{ m.period }}</span>
      </td>
      <td align="right" style="padding:7px 12px;border-top:1px solid #eef0f3;font-size:16px;font-weight:700;white-space:nowrap;">{{ m.value }}</td>
      <td align="right" style="padding:7px 0;border-top:1px solid #eef0f3;white-space:nowrap;">
        <span style="color:{{ m.color }};font-weight:600;">{{ m.arrow }} {{ m.change }}</span><br>
        <span style="color:#6b7280;font-size:12px;">{{ m.compared }}</span>
      </td>
    </tr>
  {% endfor %}
  </table>
</td></tr>

<tr><td style="padding:12px 20px 0 20px;">
  <p style="margin:0 0 4px 0;font-size:13px;font-weight:600;">ARR, last 18 months</p>
  <img src="{{ src.arr }}" width="560" alt="{{ alt.arr }}" style="display:block;width:100%;max-width:560px;height:auto;border:0;">
</td></tr>
<tr><td style="padding:12px 20px 0 20px;">
  <p style="margin:0 0 4px 0;font-size:13px;font-weight:600;">NRR and GRR by month</p>
  <img src="{{ src.retention }}" width="560" alt="{{ alt.retention }}" style="display:block;width:100%;max-width:560px;height:auto;border:0;">
</td></tr>

<tr><td style="padding:20px 20px 4px 20px;">
  <h2 style="margin:0 0 2px 0;font-size:15px;line-height:20px;font-weight:700;">{{ d.scope_label }}</h2>
  <p style="margin:0;color:#6b7280;font-size:12px;">What needs attention this week.</p>
</td></tr>

<tr><td style="padding:8px 20px 0 20px;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#fef2f2;border-radius:6px;">
  <tr><td style="padding:12px;">
    <span style="font-size:12px;color:#6b7280;">Revenue at risk</span><br>
    <span data-figure="revenue-at-risk" style="font-size:22px;line-height:30px;font-weight:700;color:#b91c1c;">{{ risk_value }}</span>
    <span style="color:#6b7280;font-size:12px;">over {{ d.revenue_at_risk.accounts }} active account{{ '' if d.revenue_at_risk.accounts == 1 else 's' }} ({{ risk_arr }} ARR)</span>
    {% if risk_parts %}<br><span style="font-size:12px;color:#374151;">{{ risk_parts | join(' · ') }}</span>{% endif %}
  </td></tr>
  </table>
</td></tr>

<tr><td style="padding:16px 20px 0 20px;">
  <h3 style="margin:0 0 4px 0;font-size:14px;font-weight:700;">Quadrant movers</h3>
  <p style="margin:0 0 6px 0;">{{ d.movers.moves }} move{{ '' if d.movers.moves == 1 else 's' }} this week: {{ d.movers.into_churn_risk }} into Churn Risk, {{ d.movers.left_champions }} left Champions.</p>
  {% if d.movers.moves %}
  <img src="{{ src.movers }}" width="560" alt="{{ alt.movers }}" style="display:block;width:100%;max-width:560px;height:auto;border:0;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin-top:6px;">
  {% for m in d.movers.largest %}
    <tr>
      <td style="padding:5px 0;border-top:1px solid #eef0f3;"><a href="{{ account_url(m.account_id) }}" style="color:#4338ca;text-decoration:none;">{{ m.name }}</a></td>
      <td style="padding:5px 8px;border-top:1px solid #eef0f3;color:#374151;font-size:13px;">{{ quadrant(m.from_quadrant) }} &rarr; {{ quadrant(m.to_quadrant) }}</td>
      <td align="right" style="padding:5px 0;border-top:1px solid #eef0f3;white-space:nowrap;">{{ money(m.arr) }}</td>
    </tr>
  {% endfor %}
  </table>
  {% endif %}
</td></tr>

<tr><td style="padding:16px 20px 0 20px;">
  <h3 style="margin:0 0 4px 0;font-size:14px;font-weight:700;">Renewals at risk in 90 days</h3>
  {% if d.renewals_at_risk.count %}
  <p style="margin:0 0 6px 0;">{{ d.renewals_at_risk.count }} renewal{{ '' if d.renewals_at_risk.count == 1 else 's' }} with health below 60, {{ money(d.renewals_at_risk.arr) }} ARR up for renewal.</p>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">
  {% for r in d.renewals_at_risk.items %}
    <tr>
      <td style="padding:5px 0;border-top:1px solid #eef0f3;"><a href="{{ account_url(r.account_id) }}" style="color:#4338ca;text-decoration:none;">{{ r.name }}</a></td>
      <td style="padding:5px 8px;border-top:1px solid #eef0f3;color:#374151;font-size:13px;white-space:nowrap;">{{ day(r.renewal_date) }} &middot; health {{ score(r.health_score) }}</td>
      <td align="right" style="padding:5px 0;border-top:1px solid #eef0f3;white-space:nowrap;">{{ money(r.arr) }}</td>
    </tr>
  {% endfor %}
  </table>
  {% else %}
  <p style="margin:0;color:#6b7280;">None: every term renewal in the next 90 days is on an account with health 60 or more.</p>
  {% endif %}
</td></tr>

<tr><td style="padding:16px 20px 0 20px;">
  <h3 style="margin:0 0 4px 0;font-size:14px;font-weight:700;">Top of the queue</h3>
  {% if d.queue.items %}
  <p style="margin:0 0 6px 0;">{{ money(d.queue.at_stake) }} ARR at stake over {{ d.queue.risks }} risk{{ '' if d.queue.risks == 1 else 's' }}.</p>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">
  {% for q in d.queue.items %}
    <tr>
      <td valign="top" style="padding:5px 8px 5px 0;border-top:1px solid #eef0f3;color:#6b7280;">{{ q.rank }}.</td>
      <td style="padding:5px 0;border-top:1px solid #eef0f3;"><a href="{{ account_url(q.account_id) }}" style="color:#4338ca;text-decoration:none;font-weight:600;">{{ q.account_name }}</a><br><span style="font-size:13px;color:#374151;">{{ q.reason }}</span></td>
    </tr>
  {% endfor %}
  </table>
  {% else %}
  <p style="margin:0;color:#6b7280;">No risks in the queue.</p>
  {% endif %}
</td></tr>

{% if d.hygiene %}
<tr><td style="padding:16px 20px 0 20px;">
  <h3 style="margin:0 0 4px 0;font-size:14px;font-weight:700;">Data to fix</h3>
  <ul style="margin:0;padding-left:18px;color:#374151;">
  {% for w in d.hygiene %}<li style="margin:2px 0;">{{ w }}</li>{% endfor %}
  </ul>
</td></tr>
{% endif %}

<tr><td style="padding:20px;">
  <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
    <td style="background-color:#4f46e5;border-radius:6px;"><a href="{{ d.app_url }}/leadership" style="display:inline-block;padding:9px 16px;color:#ffffff;text-decoration:none;font-weight:600;">Open Leadership in Tempo</a></td>
    <td style="padding-left:12px;"><a href="{{ d.app_url }}/today" style="color:#4338ca;text-decoration:none;">Open the queue</a></td>
  </tr></table>
  <p style="margin:16px 0 0 0;color:#9ca3af;font-size:12px;">Sent by Tempo every Monday to the channels that take the weekly digest.</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
)


def html(digest: Digest, sources: Mapping[str, str]) -> str:
    """The email's HTML; ``sources``: each chart's ``src`` (``cid_sources`` or ``data_sources``)."""
    currency = digest.currency
    return _HTML.render(
        d=digest,
        week=week(digest),
        metrics=[metric_view(m, currency) for m in digest.metrics],
        src=dict(sources),
        alt=ALT,
        risk_value=fmt.money_compact(digest.revenue_at_risk.value, currency),
        risk_arr=fmt.money_compact(digest.revenue_at_risk.arr, currency),
        risk_parts=_risk_parts(digest),
        money=partial(fmt.money_compact, currency=currency),
        day=fmt.short_day,
        score=fmt.score,
        quadrant=_quadrant,
        account_url=partial(_account_url, digest),
    )


# -- plain text ------------------------------------------------------------------------------


def text(digest: Digest) -> str:
    """The plain-text alternative: the same figures, a line each."""
    c = digest.currency
    money = partial(fmt.money_compact, currency=c)
    lines = [f"Tempo weekly digest{' (test)' if digest.test else ''} — {week(digest)}", ""]
    lines.append("Leadership metrics (the whole book), against a week ago:")
    for m in (metric_view(x, c) for x in digest.metrics):
        change = f"{m.arrow} {m.change}".strip()
        lines.append(f"  {m.label}: {m.value} ({m.period}) — {change} {m.compared}")
    risk = digest.revenue_at_risk
    parts = _risk_parts(digest)
    lines += [
        "",
        f"{digest.scope_label}:",
        f"Revenue at risk: {money(risk.value)} over {risk.accounts} active accounts"
        + (f" ({', '.join(parts)})" if parts else ""),
        f"Quadrant moves: {digest.movers.moves} ({digest.movers.into_churn_risk} into Churn Risk, "
        f"{digest.movers.left_champions} left Champions)",
        *[
            f"  • {m.name}: {_quadrant(m.from_quadrant)} → {_quadrant(m.to_quadrant)}, {money(m.arr)} ARR"
            for m in digest.movers.largest
        ],
        f"Renewals at risk in 90 days: {digest.renewals_at_risk.count}"
        + (f" ({money(digest.renewals_at_risk.arr)} ARR)" if digest.renewals_at_risk.count else ""),
        *[
            f"  • {r.name}: renewal {fmt.short_day(r.renewal_date)}, health {fmt.score(r.health_score)}, {money(r.arr)}"
            for r in digest.renewals_at_risk.items
        ],
        f"Top of the queue ({money(digest.queue.at_stake)} at stake over {digest.queue.risks} risks):",
        *[f"  {q.rank}. {q.account_name}: {q.reason}" for q in digest.queue.items],
    ]
    if digest.hygiene:
        lines += ["Data to fix:", *[f"  • {w}" for w in digest.hygiene]]
    lines += ["", f"Open Tempo: {digest.app_url}/leadership"]
    return "\n".join(lines)


# -- Slack -----------------------------------------------------------------------------------


def _mrkdwn(value: str) -> str:
    """Text as Slack shows it literally (its three control characters escaped)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    return f"<{url}|{_mrkdwn(label).replace('|', '¦')}>"


def _section(body: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}}


def slack(digest: Digest) -> SlackMessage:
    """Block Kit: a header, the seven metrics as fields with their change (▲▼), the scope's
    sections, and buttons to the app; ``text`` is the fallback notifications show."""
    c = digest.currency
    money = partial(fmt.money_compact, currency=c)
    views = [metric_view(m, c) for m in digest.metrics]
    risk = digest.revenue_at_risk

    def account(account_id: Any, name: str) -> str:
        return _link(_account_url(digest, account_id), name)

    movers = [
        f"*Quadrant movers*: {digest.movers.moves} this week ({digest.movers.into_churn_risk} into Churn Risk, "
        f"{digest.movers.left_champions} left Champions)",
        *[
            f"• {account(m.account_id, m.name)}: {_quadrant(m.from_quadrant)} → {_quadrant(m.to_quadrant)}, "
            f"{money(m.arr)}"
            for m in digest.movers.largest
        ],
    ]
    renewals = [
        f"*Renewals at risk in 90 days*: {digest.renewals_at_risk.count}"
        + (f" ({money(digest.renewals_at_risk.arr)} ARR)" if digest.renewals_at_risk.count else ""),
        *[
            f"• {account(r.account_id, r.name)}: {fmt.short_day(r.renewal_date)}, health {fmt.score(r.health_score)}, "
            f"{money(r.arr)}"
            for r in digest.renewals_at_risk.items
        ],
    ]
    queue = [
        f"*Top of the queue*: {money(digest.queue.at_stake)} at stake over {digest.queue.risks} risks",
        *[f"{q.rank}. {account(q.account_id, q.account_name)}: {_mrkdwn(q.reason)}" for q in digest.queue.items],
    ]
    parts = _risk_parts(digest)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"Tempo weekly digest{' (test)' if digest.test else ''}"},
        },
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{week(digest)} · {_mrkdwn(digest.scope_label)}"}],
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Leadership metrics* (the whole book), against a week ago"},
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": f"*{v.label}*\n{v.value}  {f'{v.arrow} {v.change}'.strip()} _{v.compared}_",
                }
                for v in views
            ],
        },
        {"type": "divider"},
        _section(
            f"*{_mrkdwn(digest.scope_label)}* · *Revenue at risk*: {money(risk.value)} over {risk.accounts} active "
            f"accounts" + (f"\n{' · '.join(parts)}" if parts else "")
        ),
        _section("\n".join(movers)),
        _section("\n".join(renewals)),
        _section("\n".join(queue)),
    ]
    if digest.hygiene:
        blocks.append(_section("*Data to fix*\n" + "\n".join(f"• {_mrkdwn(w)}" for w in digest.hygiene)))
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open Leadership"},
                    "url": f"{digest.app_url}/leadership",
                    "style": "primary",
                },
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open the queue"},
                    "url": f"{digest.app_url}/today",
                },
            ],
        }
    )
    arr = next((v for v in views if v.key == "arr"), None)
    fallback = (
        f"Tempo weekly digest{' (test)' if digest.test else ''}, {week(digest)}: "
        + (f"ARR {arr.value} ({f'{arr.arrow} {arr.change}'.strip()} {arr.compared}), " if arr else "")
        + f"revenue at risk {money(risk.value)}, {digest.movers.moves} quadrant moves, "
        f"{digest.renewals_at_risk.count} renewals at risk in 90 days"
    )
    return SlackMessage(text=fallback, blocks=blocks)
