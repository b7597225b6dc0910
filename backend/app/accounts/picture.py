"""SQL of the account picture (DESIGN §10): everything about one account in one statement,
profile and contacts included.

Each section is a JSON sub-select on an index of its own table (account first, then time),
so the whole picture is one round trip whatever the account holds, and Postgres writes the
JSON the API returns (the shape is ``schemas.AccountDetail``; a test holds them together). Lists are capped; the
caps are the ``LIMIT``s below (the team, as ``repository.team`` lists it, has none: setting
it takes 50 at most). A line's ARR is annualised as the commercial component computes it
(monthly amounts x 12).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PICTURE = text(
    """
    SELECT (json_build_object(
      'id', a.id, 'external_id', a.external_id, 'name', a.name, 'segment', a.segment, 'plan', a.plan,
      'icp_tier', a.icp_tier, 'region', a.region, 'arr', a.current_arr::float8,
      'renewal_date', a.next_renewal_date, 'renewal_term', a.renewal_term, 'status', a.status, 'flag', a.flag,
      'owner', CASE WHEN u.id IS NOT NULL THEN json_build_object('id', u.id, 'email', u.email, 'name', u.name) END,
      'health_score', h.health_score, 'band', h.band, 'quadrant', h.quadrant,
      'feature_adoption', h.feature_adoption, 'usage_change', h.usage_change, 'open_tickets', h.open_tickets,
      'last_touch_on', h.last_touch_on, 'last_qbr_on', h.last_qbr_on,
      'open_alerts', (SELECT count(*) FROM alert al WHERE al.account_id = a.id AND al.status <> 'resolved'),
      'domains', a.domains, 'industry', a.industry, 'acquisition_channel', a.acquisition_channel,
      'signup_date', a.signup_date, 'onboarding_completed_at', a.onboarding_completed_at,
      'seats_purchased', a.seats_purchased, 'seat_limit', a.seat_limit, 'api_call_limit', a.api_call_limit,
      'contract_start', a.contract_start, 'tags', a.tags,
      'contacts', (
        SELECT coalesce(json_agg(json_build_object(
            'id', c.id, 'name', c.name, 'email', c.email, 'title', c.title, 'role', c.role,
            'is_primary', c.is_primary) ORDER BY c.is_primary DESC, c.name), '[]')
        FROM contact c WHERE c.account_id = :id
      )
    )::jsonb || json_build_object(
      'can_edit', CAST(:can_edit AS boolean),
      'team', (
        SELECT coalesce(json_agg(json_build_object(
            'user_id', tu.id, 'email', tu.email, 'name', tu.name, 'role', tm.role)
            ORDER BY tm.added_at, tu.email), '[]')
        FROM account_team tm JOIN "user" tu ON tu.id = tm.user_id
        WHERE tm.account_id = :id
      ),
      'arr_trend', (
        SELECT coalesce(json_agg(json_build_object('date', d.day, 'arr', coalesce(x.arr, 0)) ORDER BY d.day), '[]')
        FROM (
            SELECT CAST(generate_series(
                date_trunc('month', CAST(:today AS date)) - interval '12 months',
                date_trunc('month', CAST(:today AS date)), interval '1 month') AS date) AS day
            UNION SELECT CAST(:today AS date)
        ) d
        LEFT JOIN LATERAL (
            SELECT sum(s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END
                       * fx_to_reporting(s.currency, d.day, :reporting))::float8 AS arr
            FROM subscription_line s
            WHERE s.account_id = :id AND s.start_date <= d.day AND (s.end_date IS NULL OR s.end_date > d.day)
        ) x ON true
      ),
      'status_history', (
        SELECT coalesce(json_agg(json_build_object(
            'on', m."on", 'event', m.kind,
            'status', CASE WHEN m.kind = 'churn' THEN 'churned' ELSE 'active' END,
            'confirmed', m.kind <> 'churn' OR m."on" < CAST(:today AS date) - CAST(:bridge AS int))
            ORDER BY m."on"), '[]')
        FROM arr_movement m
        WHERE m.account_id = :id AND m.kind IN ('new', 'churn', 'reactivation')
      ),
      'subscriptions', (
        SELECT coalesce(json_agg(json_build_object(
            'product', s.product, 'plan', s.plan, 'quantity', s.quantity::float8,
            'unit_amount', s.unit_amount::float8, 'interval', s.interval, 'currency', coalesce(s.currency, :reporting),
            'arr', (s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END
                    * fx_to_reporting(s.currency, CAST(:today AS date), :reporting))::float8,
            'start_date', s.start_date, 'end_date', s.end_date, 'cancellation_reason', s.cancellation_reason)
            ORDER BY s.start_date DESC), '[]')
        FROM (SELECT * FROM subscription_line s WHERE s.account_id = :id
              ORDER BY (s.end_date IS NULL OR s.end_date > :today) DESC, s.start_date DESC LIMIT 20) s
      ),
      'health_history', (
        SELECT coalesce(json_agg(json_build_object(
            'as_of', h.as_of, 'health_score', h.health_score, 'usage_axis', h.usage_axis,
            'health_axis', h.health_axis, 'band', h.band, 'quadrant', h.quadrant,
            'config_version', h.config_version,
            'active_users', (h.inputs->'usage'->>'active_users')::float8,
            'feature_adoption', (h.inputs->'usage'->>'feature_adoption')::float8,
            'user_days', (h.inputs->'usage'->>'user_days')::float8) ORDER BY h.as_of), '[]')
        FROM health_snapshot h
        WHERE h.account_id = :id AND h.as_of > CAST(:today AS date) - 90 AND h.as_of <= :today
      ),
      'components', (
        SELECT json_build_object(
            'as_of', h.as_of, 'config_version', h.config_version, 'coverage', h.coverage,
            'items', json_build_array(
                json_build_object('name', 'usage', 'score', h.usage_score,
                                  'weight', (c.body->'components'->'usage'->>'weight')::float8),
                json_build_object('name', 'support', 'score', h.support_score,
                                  'weight', (c.body->'components'->'support'->>'weight')::float8),
                json_build_object('name', 'sentiment', 'score', h.sentiment_score,
                                  'weight', (c.body->'components'->'sentiment'->>'weight')::float8),
                json_build_object('name', 'relationship', 'score', h.relationship_score,
                                  'weight', (c.body->'components'->'relationship'->>'weight')::float8),
                json_build_object('name', 'commercial', 'score', h.commercial_score,
                                  'weight', (c.body->'components'->'commercial'->>'weight')::float8)))
        FROM account_health ah
        JOIN health_snapshot h ON h.account_id = ah.account_id AND h.as_of = ah.as_of
        JOIN scoring_config c ON c.version = h.config_version
        WHERE ah.account_id = :id
      ),
      'quadrant_moves', (
        SELECT coalesce(json_agg(json_build_object(
            'moved_on', m.moved_on, 'from', m.from_quadrant, 'to', m.to_quadrant) ORDER BY m.moved_on DESC), '[]')
        FROM (SELECT * FROM quadrant_move m WHERE m.account_id = :id ORDER BY m.moved_on DESC LIMIT 50) m
      ),
      'top_features', (
        SELECT coalesce(json_agg(json_build_object(
            'key', f.key, 'name', f.name, 'is_core', f.is_core, 'events', x.events, 'user_days', x.user_days,
            'minutes', x.minutes) ORDER BY x.events DESC, f.name), '[]')
        FROM (
            SELECT d.feature_id, sum(d.events)::float8 AS events, sum(d.active_users)::float8 AS user_days,
                   sum(d.minutes)::float8 AS minutes
            FROM usage_daily d
            WHERE d.account_id = :id AND d.day > CAST(:today AS date) - 28 AND d.day <= :today AND d.feature_id <> 0
            GROUP BY d.feature_id ORDER BY sum(d.events) DESC LIMIT 8
        ) x JOIN feature f ON f.id = x.feature_id
      ),
      'weekly_usage', (
        SELECT coalesce(json_agg(json_build_object(
            'week', w.week, 'events', coalesce(x.events, 0), 'minutes', coalesce(x.minutes, 0)) ORDER BY w.week), '[]')
        FROM (SELECT CAST(generate_series(date_trunc('week', CAST(:today AS date)) - interval '11 weeks',
                                          date_trunc('week', CAST(:today AS date)), interval '1 week') AS date) AS week) w
        LEFT JOIN LATERAL (
            SELECT sum(d.events)::float8 AS events, sum(d.minutes)::float8 AS minutes FROM usage_daily d
            WHERE d.account_id = :id AND d.day >= w.week AND d.day < w.week + 7
        ) x ON true
      ),
      'active_users', (
        -- distinct users from the monthly day masks, each masked to the window's days in that month
        SELECT json_build_object(
            'as_of', CAST(:au_as_of AS date),
            'dau', count(DISTINCT x.user_hash) FILTER (WHERE x.win = 'dau'),
            'wau', count(DISTINCT x.user_hash) FILTER (WHERE x.win = 'wau'),
            'mau', count(DISTINCT x.user_hash) FILTER (WHERE x.win = 'mau'),
            'average_dau', coalesce(sum(x.days) FILTER (WHERE x.win = 'mau'), 0)::float8 / 30,
            'dau_mau_ratio', coalesce(sum(x.days) FILTER (WHERE x.win = 'mau'), 0)::float8 / 30
                             / nullif(count(DISTINCT x.user_hash) FILTER (WHERE x.win = 'mau'), 0),
            'weeks', (
                SELECT json_agg(json_build_object('ending', e.ending, 'users', coalesce(c.users, 0)) ORDER BY e.ending)
                FROM unnest(CAST(:au_weeks AS date[])) AS e(ending)
                LEFT JOIN (
                    SELECT w.ending, count(DISTINCT u.user_hash) AS users
                    FROM unnest(CAST(:au_week_end AS date[]), CAST(:au_week_month AS date[]),
                                CAST(:au_week_mask AS int[])) AS w(ending, month, mask)
                    JOIN usage_user_activity u ON u.account_id = :id AND u.month = w.month
                    WHERE u.active_days & w.mask <> 0
                    GROUP BY w.ending
                ) c ON c.ending = e.ending
            ))
        FROM (
            SELECT w.win, u.user_hash, bit_count(CAST(u.active_days & w.mask AS bit(32))) AS days
            FROM unnest(CAST(:au_win AS text[]), CAST(:au_month AS date[]), CAST(:au_mask AS int[]))
                AS w(win, month, mask)
            JOIN usage_user_activity u ON u.account_id = :id AND u.month = w.month
            WHERE u.active_days & w.mask <> 0
        ) x
      ),
      'tickets', (
        SELECT coalesce(json_agg(json_build_object(
            'id', t.id, 'source_id', t.source_id, 'priority', t.priority, 'status', t.status,
            'subject', t.subject, 'product_area', t.product_area, 'opened_at', t.opened_at,
            'age_days', floor(extract(epoch FROM (:now - t.opened_at)) / 86400)::int,
            'escalated', t.escalated, 'sla_due_at', t.sla_due_at,
            'sla_breached', t.sla_due_at IS NOT NULL AND t.sla_due_at < :now)
            ORDER BY t.priority, t.opened_at), '[]')
        FROM (SELECT * FROM ticket t WHERE t.account_id = :id AND t.status IN ('open', 'pending')
              ORDER BY t.priority, t.opened_at LIMIT 50) t
      ),
      'surveys', (
        SELECT coalesce(json_agg(json_build_object(
            'kind', v.kind, 'score', v.score, 'responded_at', v.responded_at, 'contact_email', v.contact_email,
            'comment', v.comment) ORDER BY v.responded_at DESC), '[]')
        FROM (SELECT * FROM survey_response v WHERE v.account_id = :id
              ORDER BY v.responded_at DESC LIMIT 100) v
      ),
      'touches', (
        SELECT coalesce(json_agg(json_build_object(
            'kind', t.kind, 'occurred_at', t.occurred_at, 'sentiment', t.sentiment, 'summary', t.summary,
            'csm_email', coalesce(u.email, t.csm_email)) ORDER BY t.occurred_at DESC), '[]')
        FROM (SELECT * FROM touchpoint t WHERE t.account_id = :id ORDER BY t.occurred_at DESC LIMIT 20) t
        LEFT JOIN "user" u ON u.id = t.csm_id
      ),
      'renewals', (
        SELECT coalesce(json_agg(json_build_object(
            'id', r.id, 'renewal_date', r.renewal_date, 'arr_up_for_renewal', r.arr_up_for_renewal::float8,
            'forecast', r.forecast, 'suggested_forecast', r.suggested_forecast, 'outcome', r.outcome,
            'closed_at', r.closed_at, 'days_to_renewal', r.renewal_date - CAST(:today AS date),
            'term', r.term, 'source', r.source)
            ORDER BY r.renewal_date DESC), '[]')
        FROM (SELECT * FROM renewal r WHERE r.account_id = :id ORDER BY r.renewal_date DESC LIMIT 12) r
      ),
      'invoices', (
        SELECT coalesce(json_agg(json_build_object(
            'id', i.id, 'source_id', i.source_id, 'amount', i.amount::float8, 'status', i.status,
            'currency', coalesce(i.currency, :reporting),
            'issued_at', i.issued_at, 'due_at', i.due_at, 'paid_at', i.paid_at,
            'days_overdue', CASE WHEN i.paid_at IS NULL AND i.status IN ('open', 'uncollectible') AND i.due_at < :now
                                 THEN floor(extract(epoch FROM (:now - i.due_at)) / 86400)::int END)
            ORDER BY i.issued_at DESC), '[]')
        FROM (SELECT * FROM invoice i WHERE i.account_id = :id ORDER BY i.issued_at DESC LIMIT 12) i
      ),
      'unpaid', (
        SELECT json_build_object('count', count(*),
                                 'amount', coalesce(sum(i.amount * fx_to_reporting(i.currency, CAST(:today AS date),
                                                                                  :reporting)), 0)::float8,
                                 'oldest_due_at', min(i.due_at))
        FROM invoice i
        WHERE i.account_id = :id AND i.paid_at IS NULL AND i.status IN ('open', 'uncollectible')
      ),
      'alerts', (
        SELECT coalesce(json_agg(json_build_object(
            'id', al.id, 'rule', al.rule, 'severity', al.severity, 'status', al.status, 'title', al.title,
            'facts', al.facts, 'opened_at', al.opened_at, 'snoozed_until', al.snoozed_until)
            ORDER BY CASE al.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, al.opened_at DESC), '[]')
        FROM alert al WHERE al.account_id = :id AND al.status <> 'resolved'
      ),
      'tasks', (
        SELECT coalesce(json_agg(json_build_object(
            'id', t.id, 'account_id', t.account_id, 'playbook_run_id', t.playbook_run_id, 'title', t.title,
            'assignee_id', t.assignee_id, 'due_date', t.due_date, 'status', t.status,
            'completed_at', t.completed_at) ORDER BY t.status <> 'open', t.due_date NULLS LAST), '[]')
        FROM (SELECT * FROM task t WHERE t.account_id = :id
              AND (t.status = 'open' OR t.completed_at > :now - interval '30 days')
              ORDER BY t.status <> 'open', t.due_date NULLS LAST LIMIT 50) t
      ),
      'notes', (
        SELECT coalesce(json_agg(json_build_object(
            'id', n.id, 'body', n.body, 'created_at', n.created_at, 'author_id', n.author_id,
            'author', coalesce(u.name, u.email)) ORDER BY n.created_at DESC), '[]')
        FROM (SELECT * FROM note n WHERE n.account_id = :id ORDER BY n.created_at DESC LIMIT 50) n
        LEFT JOIN "user" u ON u.id = n.author_id
      ),
      'playbook_runs', (
        SELECT coalesce(json_agg(json_build_object(
            'id', r.id, 'playbook_id', r.playbook_id, 'playbook_name', p.name, 'status', r.status,
            'outcome', r.outcome, 'started_at', r.started_at, 'completed_at', r.completed_at,
            'health_at_start', r.health_at_start,
            'tasks_open', (SELECT count(*) FROM task t WHERE t.playbook_run_id = r.id AND t.status = 'open'),
            'tasks_total', (SELECT count(*) FROM task t WHERE t.playbook_run_id = r.id))
            ORDER BY r.started_at DESC), '[]')
        FROM (SELECT * FROM playbook_run r WHERE r.account_id = :id ORDER BY r.started_at DESC LIMIT 20) r
        JOIN playbook p ON p.id = r.playbook_id
      ),
      'timeline', (
        SELECT coalesce(json_agg(json_build_object('at', e.at, 'kind', e.kind, 'title', e.title, 'tone', e.tone)
                                 ORDER BY e.at DESC), '[]')
        FROM (
            SELECT * FROM (
                SELECT t.opened_at AS at, 'ticket' AS kind,
                       'P' || t.priority || ' ticket opened: ' || coalesce(t.subject, t.source_id) AS title,
                       CASE WHEN t.priority <= 2 OR t.escalated THEN 'bad' ELSE 'neutral' END AS tone
                FROM ticket t WHERE t.account_id = :id AND t.opened_at > :since
                UNION ALL
                SELECT v.responded_at, v.kind, upper(v.kind) || ' ' || v.score || coalesce(': ' || v.comment, ''),
                       CASE WHEN v.kind = 'nps' THEN CASE WHEN v.score <= 6 THEN 'bad' WHEN v.score >= 9 THEN 'good'
                            ELSE 'neutral' END
                            ELSE CASE WHEN v.score <= 2 THEN 'bad' WHEN v.score >= 4 THEN 'good' ELSE 'neutral' END END
                FROM survey_response v WHERE v.account_id = :id AND v.responded_at > :since
                UNION ALL
                SELECT t.occurred_at, 'touch', initcap(t.kind) || coalesce(': ' || t.summary, ''),
                       CASE t.sentiment WHEN 'negative' THEN 'bad' WHEN 'positive' THEN 'good' ELSE 'neutral' END
                FROM touchpoint t WHERE t.account_id = :id AND t.occurred_at > :since
                UNION ALL
                SELECT CAST(m.moved_on AS timestamptz), 'quadrant_move',
                       'Moved ' || replace(m.from_quadrant, '_', ' ') || ' → ' || replace(m.to_quadrant, '_', ' '),
                       CASE WHEN m.to_quadrant = 'churn_risk' OR (m.from_quadrant = 'champions') THEN 'bad'
                            WHEN m.to_quadrant = 'champions' THEN 'good' ELSE 'neutral' END
                FROM quadrant_move m WHERE m.account_id = :id AND m.moved_on > CAST(:since AS date)
                UNION ALL
                SELECT al.opened_at, 'alert', al.title, CASE al.severity WHEN 'high' THEN 'bad' ELSE 'neutral' END
                FROM alert al WHERE al.account_id = :id AND al.opened_at > :since
                UNION ALL
                SELECT r.started_at, 'playbook', 'Play started: ' || p.name, 'neutral'
                FROM playbook_run r JOIN playbook p ON p.id = r.playbook_id
                WHERE r.account_id = :id AND r.started_at > :since
                UNION ALL
                SELECT n.created_at, 'note', left(n.body, 200), 'neutral'
                FROM note n WHERE n.account_id = :id AND n.created_at > :since
            ) u ORDER BY at DESC LIMIT 100
        ) e
      )
    )::jsonb)::text
    FROM account a
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = a.id
    WHERE a.id = :id
    """
)


ACTIVE_WINDOWS = (("dau", 1), ("wau", 7), ("mau", 30))
ACTIVE_WEEKS = 12


def month_masks(first: date, last: date) -> list[tuple[date, int]]:
    """The days ``first``..``last`` (inclusive) as (month, mask) pairs in the shape of
    ``usage_user_activity.active_days``: bit d-1 for day d of the month."""
    out: list[tuple[date, int]] = []
    day = first
    while day <= last:
        month = day.replace(day=1)
        following = (month + timedelta(days=32)).replace(day=1)
        end = min(last, following - timedelta(days=1))
        out.append((month, (1 << end.day) - (1 << (day.day - 1))))
        day = following
    return out


def active_user_params(today: date) -> dict[str, Any]:
    """The windows of ``active_users``: DAU, WAU and MAU ending yesterday, and the 12 weekly
    windows ending yesterday and every 7 days before."""
    as_of = today - timedelta(days=1)
    windows = [(name, m) for name, days in ACTIVE_WINDOWS for m in month_masks(as_of - timedelta(days=days - 1), as_of)]
    endings = [as_of - timedelta(days=7 * k) for k in range(ACTIVE_WEEKS)]
    weeks = [(end, m) for end in endings for m in month_masks(end - timedelta(days=6), end)]
    return {
        "au_as_of": as_of,
        "au_win": [w for w, _ in windows],
        "au_month": [m for _, (m, _) in windows],
        "au_mask": [mask for _, (_, mask) in windows],
        "au_weeks": endings,
        "au_week_end": [e for e, _ in weeks],
        "au_week_month": [m for _, (m, _) in weeks],
        "au_week_mask": [mask for _, (_, mask) in weeks],
    }


async def picture(
    session: AsyncSession,
    account_id: uuid.UUID,
    today: date,
    now: Any,
    since: Any,
    reporting: str,
    bridge_days: int,
    can_edit: bool,
) -> str | None:
    """The picture as JSON text in the shape of ``schemas.AccountDetail`` (None: no such
    account). Postgres writes the JSON; the API passes it through without re-encoding it.
    ``can_edit`` is the caller's (``access.require_read_can_write``): the picture only carries it."""
    params = {
        "id": account_id, "today": today, "now": now, "since": since, "reporting": reporting, "bridge": bridge_days,
        "can_edit": can_edit, **active_user_params(today),
    }  # fmt: skip
    raw: str | None = await session.scalar(PICTURE, params)
    return raw
