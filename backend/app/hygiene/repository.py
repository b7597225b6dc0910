"""SQL of data hygiene: each active account of a scope with what its fill rates and checks
read (one row per account, ``BOOK``), the counts over them, and the accounts behind one.

What "filled" and "failing" mean is written once, as conditions on that row: ``MISSING``
(a field not filled in, over the accounts it ``APPLIES`` to) and ``FAILING`` (an account
check). The service names, weighs and explains them under the same keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL
from app.revenue.repository import LINE_ARR

# Active: ARR above 0, or not churned (an account in its 30-day bridge, or without lines, is
# still a customer). ``:today`` (date), ``:since`` (the silent window's first instant, UTC),
# ``:reporting`` and the scope's parameters (``ListScope.params``).
BOOK = f"""
WITH book AS (
    SELECT a.id, a.external_id, a.name, a.owner_id, u.email AS owner_email,
           coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           a.segment, a.icp_tier, a.plan, a.region, a.acquisition_channel, a.seats_purchased,
           a.contract_start, a.renewal_date, a.next_renewal_date, a.renewal_term,
           a.declared_arr AS crm_arr,
           coalesce(l.lines, 0) > 0 AS has_lines,
           coalesce(l.live, 0) > 0 AS has_live_lines,
           coalesce(l.billing_arr, 0) AS billing_arr,
           coalesce(l.yearly_live, false) AS yearly_live,
           coalesce(l.yearly_end_known, false) AS yearly_end_known,
           EXISTS (SELECT 1 FROM contact c WHERE c.account_id = a.id AND c.is_primary) AS has_primary,
           EXISTS (SELECT 1 FROM contact c WHERE c.account_id = a.id
                   AND c.role IN ('executive_sponsor', 'champion')) AS has_sponsor,
           (EXISTS (SELECT 1 FROM usage_daily d WHERE d.account_id = a.id AND d.day >= CAST(:since_day AS date))
            OR EXISTS (SELECT 1 FROM touchpoint t WHERE t.account_id = a.id AND t.kind <> 'note'
                       AND t.occurred_at >= :since)
            OR EXISTS (SELECT 1 FROM ticket k WHERE k.account_id = a.id
                       AND (k.opened_at >= :since OR k.resolved_at >= :since))
            OR EXISTS (SELECT 1 FROM survey_response r WHERE r.account_id = a.id AND r.responded_at >= :since))
               AS heard_recently
    FROM account a
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN LATERAL (
        SELECT count(*) AS lines,
               count(*) FILTER (WHERE s.start_date <= CAST(:today AS date)
                                AND (s.end_date IS NULL OR s.end_date > CAST(:today AS date))) AS live,
               sum({LINE_ARR} * fx_to_reporting(s.currency, CAST(:today AS date), :reporting))
                   FILTER (WHERE s.start_date <= CAST(:today AS date)
                           AND (s.end_date IS NULL OR s.end_date > CAST(:today AS date))) AS billing_arr,
               bool_or(s.interval = 'year' AND s.start_date <= CAST(:today AS date)
                       AND (s.end_date IS NULL OR s.end_date > CAST(:today AS date))) AS yearly_live,
               bool_or(s.interval = 'year' AND s.start_date <= CAST(:today AS date)
                       AND s.end_date > CAST(:today AS date)) AS yearly_end_known
        FROM subscription_line s WHERE s.account_id = a.id
    ) l ON true
    WHERE (a.status <> 'churned' OR a.current_arr > 0) AND {IN_SCOPE_SQL}
)
"""  # noqa: S608 - constants only; values are bound


def _blank(column: str) -> str:
    return f"nullif(btrim(b.{column}), '') IS NULL"


# A term contract: billed yearly, or, for an account billing has never sent, a contract start
# from the CRM. Accounts billed only monthly renew every month and need no renewal date.
TERM_CONTRACT = "(b.yearly_live OR (NOT b.has_lines AND b.contract_start IS NOT NULL))"
MONTHLY_ONLY = "(b.has_live_lines AND NOT b.yearly_live)"

# Fill rates: the accounts a field applies to (every active account unless said) and when
# it counts as missing there.
APPLIES: dict[str, str] = {"renewal_date": f"NOT {MONTHLY_ONLY}", "contract_end": "b.yearly_live"}
MISSING: dict[str, str] = {
    "segment": _blank("segment"),
    "icp_tier": _blank("icp_tier"),
    "plan": _blank("plan"),
    "owner": "b.owner_id IS NULL",
    "renewal_date": "b.renewal_date IS NULL",
    "contract_start": "b.contract_start IS NULL",
    # the current term's end: the CRM's renewal date while it is ahead, else the yearly line's end
    "contract_end": "NOT (b.yearly_end_known OR coalesce(b.renewal_date >= CAST(:today AS date), false))",
    "region": _blank("region"),
    "acquisition_channel": _blank("acquisition_channel"),
    "seats_purchased": "coalesce(b.seats_purchased, 0) <= 0",
    "primary_contact": "NOT b.has_primary",
    "sponsor_or_champion": "NOT b.has_sponsor",
}

# Account checks: (the accounts it applies to, when one fails).
ARR_TOLERANCE = 0.10  # CRM and billing ARR disagree beyond 10 % of billing's
FAILING: dict[str, tuple[str, str]] = {
    "renewal_past": ("b.renewal_date IS NOT NULL", "b.renewal_date < CAST(:today AS date)"),
    "renewal_missing": (TERM_CONTRACT, "b.renewal_date IS NULL"),
    "arr_mismatch": (
        "(b.crm_arr IS NOT NULL AND b.has_lines)",
        f"abs(b.crm_arr - b.billing_arr) > {ARR_TOLERANCE} * b.billing_arr",
    ),
    "silent": ("true", "NOT b.heard_recently"),
    "no_owner": ("true", "b.owner_id IS NULL"),
}


def condition(key: str) -> tuple[str, str]:
    """(applies, failing) of a check key or ``missing:<field>``; KeyError for another."""
    if key.startswith("missing:"):
        field = key.removeprefix("missing:")
        return APPLIES.get(field, "true"), MISSING[field]
    return FAILING[key]


# The offending values each list shows beside the account: (key, label, SQL on ``b``).
_LAST_SIGNAL = """greatest(
    (SELECT max(d.day) FROM usage_daily d WHERE d.account_id = b.id),
    (SELECT CAST(max(t.occurred_at) AT TIME ZONE 'UTC' AS date) FROM touchpoint t
     WHERE t.account_id = b.id AND t.kind <> 'note'),
    (SELECT CAST(max(greatest(k.opened_at, k.resolved_at)) AT TIME ZONE 'UTC' AS date) FROM ticket k
     WHERE k.account_id = b.id),
    (SELECT CAST(max(r.responded_at) AT TIME ZONE 'UTC' AS date) FROM survey_response r WHERE r.account_id = b.id))"""
VALUES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "renewal_past": (
        ("renewal_date", "CRM renewal date", "b.renewal_date"),
        ("days_past", "Days past", "CAST(:today AS date) - b.renewal_date"),
        ("next_renewal_date", "Renewal used instead", "b.next_renewal_date"),
    ),
    "renewal_missing": (
        ("contract_start", "Contract start", "b.contract_start"),
        ("next_renewal_date", "Renewal used instead", "b.next_renewal_date"),
        ("renewal_term", "Its term", "b.renewal_term"),
    ),
    "arr_mismatch": (
        ("crm_arr", "CRM ARR", "b.crm_arr::float8"),
        ("billing_arr", "Billing ARR", "b.billing_arr::float8"),
        (
            "difference",
            "Difference",
            "CASE WHEN b.billing_arr > 0 THEN ((b.crm_arr - b.billing_arr) / b.billing_arr)::float8 END",
        ),
    ),
    "silent": (("last_signal_on", "Last signal", _LAST_SIGNAL),),
    "missing:renewal_date": (("next_renewal_date", "Renewal used instead", "b.next_renewal_date"),),
    "missing:contract_end": (("next_renewal_date", "Renewal used instead", "b.next_renewal_date"),),
}


@dataclass(frozen=True)
class Count:
    total: int
    failing: int
    arr: float


async def counts(session: AsyncSession, keys: Sequence[str], params: dict[str, Any]) -> tuple[Count, dict[str, Count]]:
    """The active accounts of the scope (count and ARR, as a ``Count`` with failing 0) and, per
    key (a check or ``missing:<field>``), how many it applies to, how many fail and their ARR."""
    parts = ["count(*) AS n0", "coalesce(sum(b.arr), 0) AS a0"]
    for i, key in enumerate(keys, 1):
        applies, failing = condition(key)
        hit = f"({applies}) AND coalesce(({failing}), false)"
        parts += [
            f"count(*) FILTER (WHERE {applies}) AS t{i}",
            f"count(*) FILTER (WHERE {hit}) AS f{i}",
            f"coalesce(sum(b.arr) FILTER (WHERE {hit}), 0) AS a{i}",
        ]
    sql = f"{BOOK} SELECT {', '.join(parts)} FROM book b"  # noqa: S608 - constants only
    row = (await session.execute(text(sql), params)).mappings().one()
    book = Count(int(row["n0"]), 0, float(row["a0"]))
    return book, {
        key: Count(int(row[f"t{i}"]), int(row[f"f{i}"]), float(row[f"a{i}"])) for i, key in enumerate(keys, 1)
    }


async def accounts(session: AsyncSession, key: str, params: dict[str, Any], limit: int) -> tuple[list[Any], int]:
    """The accounts failing ``key`` (largest ARR first, at most ``limit``) with its offending
    values, and how many there are in all."""
    applies, failing = condition(key)
    extra = "".join(f", {sql} AS v_{name}" for name, _, sql in VALUES.get(key, ()))
    sql = f"""{BOOK}
    SELECT b.id, b.external_id, b.name, b.owner_email, b.arr{extra}, count(*) OVER () AS total_rows
    FROM book b
    WHERE ({applies}) AND coalesce(({failing}), false)
    ORDER BY b.arr DESC, lower(b.name), b.id
    LIMIT :limit
    """  # noqa: S608 - constants only; values are bound
    rows = list((await session.execute(text(sql), {**params, "limit": limit})).mappings())
    return rows, int(rows[0]["total_rows"]) if rows else 0
