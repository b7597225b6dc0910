"""Two transactions scoring overlapping accounts for the same day (a rescore and a scoring run,
say) queue behind each other and both commit; before the snapshot upserts locked rows in
account order, the second one to wait was killed by PostgreSQL's deadlock detector."""

from __future__ import annotations

import asyncio
from datetime import date

from app.scoring import service
from app.scoring.models import HealthSnapshot
from tests.factories import make_account


async def test_overlapping_scorers_queue_instead_of_deadlocking(committed_sessions):
    from sqlalchemy import func, select

    async with committed_sessions() as s:
        since = date(2026, 1, 5)
        pair = [await make_account(s, signup_date=since), await make_account(s, signup_date=since)]
        await s.commit()
    low, high = sorted(a.id for a in pair)
    day = service.today()

    async with committed_sessions() as first, committed_sessions() as second:
        config = await service.load_active(first)
        # the first scorer holds `low`...
        assert await service.score_accounts(first, [low], [day], config, react=None) == 1
        # ...the second asks for `high` then `low`: in account order it waits at `low` holding nothing
        waiting = asyncio.create_task(service.score_accounts(second, [high, low], [day], config, react=None))
        await asyncio.sleep(0.5)
        assert not waiting.done()
        # so the first can take `high` (unordered, the second would hold it: a deadlock)
        assert await service.score_accounts(first, [high], [day], config, react=None) == 1
        await first.commit()
        assert await asyncio.wait_for(waiting, 10) == 2
        await second.commit()

    async with committed_sessions() as s:
        count = select(func.count()).select_from(HealthSnapshot).where(HealthSnapshot.as_of == day)
        assert await s.scalar(count.where(HealthSnapshot.account_id.in_([low, high]))) == 2
