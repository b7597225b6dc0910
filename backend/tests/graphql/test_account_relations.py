"""An account's relations over GraphQL, on the worked example of ``tests.graphql.book``: health
with every component (raw, score, weight), history, the quadrant timeline, the explanation,
renewals, alerts, tasks, notes, usage and tiles, and the fields kept from some roles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.enums import Role
from app.scoring import service as scoring
from tests.factories import bearer
from tests.graphql.book import HEALTH_BEFORE, HEALTH_NOW, busy_account, earlier_day, latest_day

HEALTH = """
query One($id: UUID!) {
  account(id: $id) {
    health {
      asOf stored healthScore band usageAxis healthAxis quadrant coverage arr
      components { name score weight coverage subMetrics { name raw score weight } }
    }
  }
}
"""


async def test_health_shows_every_component_with_raw_score_and_weight(graphql, session):
    account = await busy_account(session, 1)
    body = await graphql(HEALTH, await bearer(session, Role.viewer), id=str(account.id))
    health = body["data"]["account"]["health"]
    components = {c["name"]: c for c in health.pop("components")}
    assert health == {
        "asOf": latest_day().isoformat(),
        "stored": True,
        "healthScore": pytest.approx(HEALTH_NOW),  # 62.4545...
        "band": "watch",
        "usageAxis": pytest.approx(57.0),
        "healthAxis": pytest.approx(72.0),
        "quadrant": "relationship_dependent",  # a stored snapshot keeps its quadrant
        "coverage": pytest.approx(0.55),
        "arr": 0.0,  # no subscription lines: the commercial inputs hold no ARR
    }
    assert list(components) == ["usage", "support", "sentiment", "relationship", "commercial"]
    assert components["usage"]["subMetrics"] == [
        {"name": "login_frequency", "raw": 10.0, "score": 70.0, "weight": 0.3},
        {"name": "feature_adoption", "raw": 0.5, "score": 50.0, "weight": 0.4},
        {"name": "time_in_platform", "raw": 30.0, "score": 50.0, "weight": 0.2},
        {"name": "user_growth", "raw": 0.0, "score": 60.0, "weight": 0.1},
    ]
    assert (components["usage"]["score"], components["usage"]["weight"]) == (pytest.approx(57.0), 0.35)
    assert (components["support"]["score"], components["support"]["weight"]) == (pytest.approx(72.0), 0.2)
    assert components["sentiment"] == {
        "name": "sentiment",
        "score": None,
        "weight": 0.2,
        "coverage": 0.0,
        "subMetrics": [
            {"name": "nps", "raw": None, "score": None, "weight": 1.0},
            {"name": "nps_trend", "raw": None, "score": None, "weight": 1.0},
            {"name": "csat", "raw": None, "score": None, "weight": 1.0},
        ],
    }


RELATIONS = """
query One($id: UUID!) {
  account(id: $id) {
    name openAlertCount
    healthHistory(days: 90) { asOf healthScore usage support }
    quadrantTimeline { movedOn fromQuadrant toQuadrant }
    explain { dateFrom dateTo healthFrom healthTo delta sentence components { name contribution } }
    renewals { renewalDate daysToRenewal arrUpForRenewal forecast status: outcome }
    openAlerts { rule severity status title }
    tasks { title status dueDate }
    notes { body author }
    usageTrend(weeks: 2) { events minutes }
    healthTile { kind account { name } title value display band color trend { date value } state }
  }
}
"""


async def test_every_relation_of_an_account(graphql, session):
    account = await busy_account(session, 7)
    today = scoring.today()
    body = await graphql(RELATIONS, await bearer(session, Role.leader), id=str(account.id))
    assert "errors" not in body, body
    one = body["data"]["account"]
    assert (one["name"], one["openAlertCount"]) == ("Busy 007", 1)
    assert one["healthHistory"] == [
        {
            "asOf": earlier_day().isoformat(),
            "healthScore": pytest.approx(HEALTH_BEFORE),
            "usage": 66.0,
            "support": 72.0,
        },
        {"asOf": latest_day().isoformat(), "healthScore": pytest.approx(HEALTH_NOW), "usage": 57.0, "support": 72.0},
    ]
    assert one["quadrantTimeline"] == [
        {"movedOn": latest_day().isoformat(), "fromQuadrant": "champions", "toQuadrant": "relationship_dependent"}
    ]
    explain = one["explain"]
    assert (explain["dateFrom"], explain["dateTo"]) == (earlier_day().isoformat(), latest_day().isoformat())
    assert explain["delta"] == pytest.approx(HEALTH_NOW - HEALTH_BEFORE)  # -5.727: 0.35/0.55 x (57 - 66)
    assert explain["sentence"] == "68 → 62: usage \u22126 (Logins per seat 20 → 10)"
    assert explain["components"][0] == {"name": "usage", "contribution": pytest.approx(0.35 / 0.55 * (57 - 66))}
    assert one["renewals"] == [
        {
            "renewalDate": (today + timedelta(days=40)).isoformat(),
            "daysToRenewal": 40,
            "arrUpForRenewal": 10000.0,
            "forecast": None,
            "status": None,
        }
    ]
    assert one["openAlerts"] == [
        {"rule": "critical_ticket", "severity": "high", "status": "open", "title": "A P1 ticket is open"}
    ]
    assert one["tasks"] == [
        {"title": "Call the champion", "status": "open", "dueDate": (today + timedelta(days=2)).isoformat()}
    ]
    assert one["notes"] == [{"body": "Exec sponsor changed", "author": None}]
    # the 12 events three days ago fall in this week or the one before
    assert sum(w["events"] for w in one["usageTrend"]) == 12.0 and len(one["usageTrend"]) == 2
    tile = one["healthTile"]
    assert (tile["kind"], tile["account"], tile["title"], tile["band"], tile["state"]) == (
        "health",
        {"name": "Busy 007"},
        "Health",
        "watch",
        "ok",
    )
    assert (tile["value"], tile["display"]) == (62.5, "62")  # the tile's value to a tenth, shown whole


async def test_all_four_tiles_of_an_account(graphql, session):
    account = await busy_account(session, 8)
    tiles = " ".join(
        f"{k} {{ kind title display state }}" for k in ("healthTile", "quadrantTile", "renewalTile", "usageTrendTile")
    )
    query = "query($id: UUID!) { account(id: $id) { TILES } }".replace("TILES", tiles)
    body = await graphql(query, await bearer(session, Role.viewer), id=str(account.id))
    assert "errors" not in body, body
    tiles = body["data"]["account"]
    assert [tiles[k]["kind"] for k in tiles] == ["health", "quadrant", "renewal", "usage_trend"]
    assert all(t["state"] in ("ok", "no_data") and t["title"] for t in tiles.values())


async def test_notes_are_for_the_people_who_work_accounts(graphql, session):
    """A viewer reads the account but not its notes (nor a renewal's owner notes): those
    fields alone are refused, the rest of the answer stands."""
    account = await busy_account(session, 9)
    query = "query($id: UUID!) { account(id: $id) { name notes { body } renewals { ownerNotes renewalDate } } }"
    body = await graphql(query, await bearer(session, Role.viewer), id=str(account.id))
    assert body["data"]["account"]["name"] == "Busy 009"
    assert body["data"]["account"]["notes"] is None
    assert [(e["path"], e["message"], e["extensions"]) for e in body["errors"]] == [
        (["account", "notes"], "Your role may not read notes", {"code": "FORBIDDEN"}),
        (["account", "renewals", 0, "ownerNotes"], "Your role may not read notes", {"code": "FORBIDDEN"}),
    ]
    for role in (Role.csm, Role.leader, Role.admin):
        body = await graphql(query, await bearer(session, role), id=str(account.id))
        assert "errors" not in body and body["data"]["account"]["notes"] == [{"body": "Exec sponsor changed"}]
