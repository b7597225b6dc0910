"""Query texts shared by the tests and the benchmark (``make bench``), so both measure the same
thing: a page of accounts with every relation (``NESTED_ACCOUNTS_QUERY``: the statements it
runs must not grow with the page, the test holds it), and one account's tiles."""

from __future__ import annotations

NESTED_ACCOUNTS_QUERY = """
query NestedAccounts($first: Int!, $after: String) {
  accounts(first: $first, after: $after, sort: "name") {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name arr healthScore band quadrant openAlertCount
        owner { id email name }
        health {
          asOf healthScore band usageAxis healthAxis quadrant coverage
          components { name score weight coverage subMetrics { name raw score weight } }
        }
        healthHistory(days: 90) { asOf healthScore }
        quadrantTimeline { movedOn fromQuadrant toQuadrant }
        explain { healthFrom healthTo sentence }
        renewals { id renewalDate forecast arrUpForRenewal }
        openAlerts { id rule severity status title }
        tasks { id title status dueDate }
        notes { id body author }
        usageTrend(weeks: 12) { week events minutes }
        healthTile { title value display band trend { date value } }
      }
    }
  }
}
"""

TILES_QUERY = """
query Tiles($id: UUID!) {
  account(id: $id) {
    healthTile { kind title value display unit band color trend { date value } reason computedAt link state }
    quadrantTile { kind title value display band color reason computedAt link state }
    renewalTile { kind title value display unit band color reason computedAt link state }
    usageTrendTile { kind title value display unit band color trend { date value } reason computedAt link state }
  }
}
"""
