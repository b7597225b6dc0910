"""Product feedback for the demo book: product issues CS raised from escalated tickets, some
shipped and confirmed, for complaint-to-fix analytics. Deterministic: every draw is a hash of
the ticket's source id."""

from __future__ import annotations

import asyncpg

FEEDBACK = """
INSERT INTO product_feedback (id, account_id, ticket_id, product_area, title, raised_at, shipped_at,
                              confirmed_at, created_at)
SELECT gen_random_uuid(), t.account_id, t.id, t.product_area, coalesce(t.subject, 'Issue'),
       t.opened_at + interval '1 day' * (1 + h.u1 * 4),
       CASE WHEN t.opened_at + interval '1 day' * (8 + h.u2 * 80) < now()
            THEN t.opened_at + interval '1 day' * (8 + h.u2 * 80) END,
       CASE WHEN h.u3 < 0.7 AND t.opened_at + interval '1 day' * (8 + h.u2 * 80 + 2 + h.u3 * 25) < now()
            THEN t.opened_at + interval '1 day' * (8 + h.u2 * 80 + 2 + h.u3 * 25) END,
       now()
FROM ticket t,
     LATERAL (SELECT ('x' || substr(md5(t.source_id), 1, 8))::bit(32)::bigint / 4294967296.0 AS u0,
                     ('x' || substr(md5(t.source_id), 9, 8))::bit(32)::bigint / 4294967296.0 AS u1,
                     ('x' || substr(md5(t.source_id), 17, 8))::bit(32)::bigint / 4294967296.0 AS u2,
                     ('x' || substr(md5(t.source_id), 25, 8))::bit(32)::bigint / 4294967296.0 AS u3) h
WHERE t.escalated AND h.u0 < 0.25
"""


async def load_feedback(conn: asyncpg.Connection) -> int:
    """A quarter of the escalated tickets became product issues; returns how many."""
    status = await conn.execute(FEEDBACK)
    return int(status.split()[-1])
