"""The aggregate views and the other lists, all in one document (sibling fields share the
request's session one statement at a time): REST's answers through GraphQL."""

from __future__ import annotations

from app.core.enums import Role
from tests.factories import bearer, make_account
from tests.graphql.book import busy_account, latest_day, score

EVERYTHING = """
{
  quadrantDistribution { asOf unplaced summary { quadrant accounts arr } cutoffs { usage health hysteresis } }
  revenueSummary { arr customers currency series { month } freshness { rebuildPending } }
  retention(interval: "quarter") { interval currency periods { periodStart startingArr endingArr nrr } }
  renewalRollup(withinDays: 90) { withinDays term totalArr byForecast { forecast renewals arr } }
  queue(scope: "all") { total page pageSize items { kind rank account { name } alerts { rule } reason } }
  alerts(first: 2) { totalCount edges { node { accountName rule } } pageInfo { hasNextPage } }
  renewals(first: 10, withinDays: 90) { totalCount edges { node { accountName daysToRenewal } } }
  playbookRuns(first: 5) { totalCount }
  tasks(first: 1) { totalCount pageInfo { hasNextPage } edges { node { title } } }
}
"""


async def test_aggregates_and_lists_in_one_document(graphql, session):
    busy = [await busy_account(session, n) for n in (1, 2, 3)]
    champion = await make_account(session, name="Champion", arr=300_000)
    await score(session, champion, 85.0, "healthy", "champions")
    body = await graphql(EVERYTHING, await bearer(session, Role.leader))
    assert "errors" not in body, body["errors"]
    data = body["data"]

    quadrants = data["quadrantDistribution"]
    assert quadrants["asOf"] == latest_day().isoformat()
    assert quadrants["cutoffs"] == {"usage": 60.0, "health": 60.0, "hysteresis": 5.0}
    assert {s["quadrant"]: (s["accounts"], s["arr"]) for s in quadrants["summary"]} == {
        "champions": (1, 300000.0),
        "frustrated_power_users": (0, 0.0),
        "relationship_dependent": (3, 30006.0),  # the busy accounts' ARR: 10,000 + n each
        "churn_risk": (0, 0.0),
    }

    revenue = data["revenueSummary"]
    assert (revenue["arr"], revenue["customers"], len(revenue["series"])) == (0.0, 0, 18)
    assert data["retention"]["interval"] == "quarter" and data["retention"]["periods"]

    rollup = data["renewalRollup"]
    assert (rollup["withinDays"], rollup["term"], rollup["totalArr"]) == (90, "term", 30000.0)
    assert {r["forecast"]: (r["renewals"], r["arr"]) for r in rollup["byForecast"]}["unset"] == (3, 30000.0)

    queue = data["queue"]
    assert (queue["total"], queue["page"], queue["pageSize"]) == (3, 1, 20)
    assert [i["rank"] for i in queue["items"]] == [1, 2, 3]
    assert {i["kind"] for i in queue["items"]} == {"risk"}
    assert all(i["alerts"] == [{"rule": "critical_ticket"}] for i in queue["items"])

    assert data["alerts"]["totalCount"] == 3 and data["alerts"]["pageInfo"] == {"hasNextPage": True}
    assert len(data["alerts"]["edges"]) == 2
    assert sorted(e["node"]["accountName"] for e in data["renewals"]["edges"]) == [a.name for a in busy]
    assert {e["node"]["daysToRenewal"] for e in data["renewals"]["edges"]} == {40}
    assert data["playbookRuns"] == {"totalCount": 0}
    assert data["tasks"]["totalCount"] == 3 and data["tasks"]["pageInfo"] == {"hasNextPage": True}


async def test_renewals_page_like_the_list(graphql, session):
    for n in range(3):
        await busy_account(session, n)
    query = "query($after: String) { renewals(first: 2, after: $after) { edges { cursor } pageInfo { endCursor hasNextPage } } }"
    headers = await bearer(session, Role.viewer)
    first = (await graphql(query, headers))["data"]["renewals"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await graphql(query, headers, after=first["pageInfo"]["endCursor"]))["data"]["renewals"]
    assert len(rest["edges"]) == 1 and rest["pageInfo"]["hasNextPage"] is False
