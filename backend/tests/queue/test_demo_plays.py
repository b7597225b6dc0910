"""On the demo book, every item of the queue comes with its play, and the library has a play
for every rule of the default config, in every health band."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import text

from app.alerts.rules import AlertThresholds, rule_names
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.enums import Band, Quadrant, move_direction
from app.flows import demo_book, scoring_pass
from app.playbooks import service as playbooks
from app.queue import service as queue
from app.scoring import service as scoring

BANDS = [*(b.value for b in Band), None]


async def test_every_rule_of_the_default_config_has_a_play_in_every_band(session):
    library = await playbooks.list_playbooks(session)
    found = {}
    for rule in rule_names(AlertThresholds()):
        if rule == "quadrant_down":
            continue
        for band in BANDS:
            found[rule, band] = getattr(playbooks.suggest(library, rule, {}, band), "key", None)
    # every move toward lower health or usage (what quadrant_down fires on)
    for was in Quadrant:
        for now in Quadrant:
            if move_direction(was, now) == "worse":
                for band in BANDS:
                    play = playbooks.suggest(library, "quadrant_down", {"from": was.value, "to": now.value}, band)
                    found[f"{was.value}->{now.value}", band] = getattr(play, "key", None)
    assert [k for k, v in found.items() if v is None] == []
    # each where it belongs: renewals at risk are rescued, the others reviewed and closed
    assert [found["renewal_90", b] for b in BANDS] == [
        "renewal-value-review",
        "renewal-value-review",
        "renewal-rescue",
        "renewal-value-review",
    ]
    assert {found[r, "at_risk"] for r in ("renewal_60", "renewal_30")} == {"renewal-rescue"}
    assert {found[r, "healthy"] for r in ("renewal_60", "renewal_30")} == {"renewal-close"}
    assert {found[r, "healthy"] for r in ("expansion_ready", "seat_limit", "api_limit")} == {"expansion-conversation"}
    assert found["relationship_dependent->churn_risk", "at_risk"] == "churn-risk-call"
    assert found["champions->relationship_dependent", "watch"] == "relationship-dependent-diagnosis"
    assert found["champions->frustrated_power_users", "watch"] == "frustrated-power-user-outreach"


@pytest.fixture
async def demo_in_committed(committed_sessions, committed_database_url, monkeypatch):
    """A 60-account demo book loaded into the committed database (the loader commits)."""
    monkeypatch.setenv("DATABASE_URL", committed_database_url)
    get_settings.cache_clear()
    try:
        await demo_book.load(60, 18, 42, False)
        yield committed_sessions
    finally:
        async with unit_of_work() as session:
            # the catalog the demo loaded (committed_sessions empties every other table)
            await session.execute(text("TRUNCATE usage_daily, usage_event, usage_user_feature_day"))
            await session.execute(text("DELETE FROM feature WHERE id <> 0"))
        get_settings.cache_clear()


async def test_every_queue_item_of_the_demo_book_carries_a_play(demo_in_committed):
    today = scoring.today()
    async with unit_of_work() as session:
        config = await scoring.load_active(session)
        ids = list((await session.execute(text("SELECT id FROM account ORDER BY id"))).scalars())
        await scoring_pass.score(session, ids, [today], config)
    async with unit_of_work() as session:
        page = await queue.build(session, None, None, 1, 200)
    assert page.total == len(page.items) > 10
    assert [(i.account.name, [a.rule for a in i.alerts]) for i in page.items if i.play is None] == []
    # and the play answers one of the item's own alerts
    assert all(i.play and i.play.alert_id in {a.id for a in i.alerts} for i in page.items)
    assert all(i.context is not None for i in page.items)
    # every rule that fired has its play among the items (a spread, not one play for all)
    plays = Counter(i.play.key for i in page.items if i.play)
    assert len(plays) >= 4, plays
