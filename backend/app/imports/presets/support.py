"""Presets for support exports: Zendesk tickets and Intercom conversations (both become tickets)."""

from __future__ import annotations

from typing import Any

from app.imports.dates import parse_timestamp
from app.imports.presets.base import Preset
from app.imports.presets.common import after, company_domain, seconds, unresolved_if_open
from app.ingest.schemas import Kind

ZENDESK = "zendesk"  # alias source of Zendesk organization names


def _zendesk_ticket(row: dict[str, str], item: dict[str, Any]) -> None:
    """Account: the requester's company domain, else the organization through the ``zendesk``
    alias, else none (the row is rejected); first response = created + 'First reply time in
    minutes'."""
    if item.get("account_key_type") == "domain":
        found = company_domain(str(item.get("account") or "")) or company_domain(row.get("Requester email", ""))
        organization = row.get("Organization", "").strip()
        if found:
            item["account"] = found
        elif organization:
            item["account"], item["account_key_type"] = organization, ZENDESK
        else:  # a free-mail requester without an organization: no company to find
            item.pop("account", None)
    minutes = seconds(row.get("First reply time in minutes", ""))
    first = after(item.get("opened_at"), minutes * 60 if minutes is not None else None)
    if first:
        item["first_response_at"] = first
    unresolved_if_open(item)


def _intercom_conversation(row: dict[str, str], item: dict[str, Any]) -> None:
    """Without a company, the user's company domain; 'First response time' is a time or a
    duration (seconds, or ``1h 5m``) after the conversation started."""
    if not item.get("account"):
        found = company_domain(row.get("User email", ""))
        if found:
            item["account"], item["account_key_type"] = found, "domain"
    response = row.get("First response time", "").strip()
    first = after(item.get("opened_at"), seconds(response))
    if first:
        item["first_response_at"] = first
    elif response:
        item["first_response_at"] = parse_timestamp(response)
    unresolved_if_open(item)


SUPPORT_PRESETS = (
    Preset(
        "zendesk-tickets",
        Kind.tickets,
        "Zendesk tickets",
        "Zendesk's ticket CSV export. The account is found by the requester's company domain ('Requester domain', "
        "else the domain of 'Requester email'; free-mail domains like gmail.com do not count), which matches the "
        "website domains of accounts imported from a CRM; without one, by 'Organization' through the 'zendesk' "
        "alias (link it once in Sources). Status New/Open -> open, Pending/On-hold -> pending, Solved -> solved, "
        "Closed -> closed; Satisfaction Good -> 5, Bad -> 1, Offered/Unoffered -> no rating; first response = "
        "'Created at' + 'First reply time in minutes'.",
        {
            "id": "Id",
            "account": "Requester domain",
            "account_key_type": "=domain",
            "subject": "Subject",
            "status": "Status",
            "priority": "Priority",
            "opened_at": "Created at",
            "resolved_at": "Solved at",
            "csat": "Satisfaction Score",
        },
        derive=_zendesk_ticket,
        alternatives={"id": ("Ticket ID",)},
        reads=("Requester email", "Organization", "First reply time in minutes"),
    ),
    Preset(
        "intercom-conversations",
        Kind.tickets,
        "Intercom conversations",
        "Intercom's conversation export, one ticket per conversation. The account is 'Company ID' (the company id "
        "your app sends Intercom, which is Tempo's external id when both come from your app), else the company "
        "domain of 'User email'. State open -> open, snoozed -> pending, closed -> closed; 'Conversation rating' "
        "1-5 is the CSAT (Terrible..Amazing read as 1..5); a conversation that is open again is not resolved.",
        {
            "id": "Conversation ID",
            "account": "Company ID",
            "opened_at": "Created at (UTC)",
            "resolved_at": "Closed at",
            "status": "State",
            "priority": "Priority",
            "csat": "Conversation rating",
            "subject": "Conversation title",
        },
        derive=_intercom_conversation,
        alternatives={
            "opened_at": ("Conversation started at", "Created at", "Started at (UTC)"),
            "resolved_at": ("Closed at (UTC)", "Last closed at", "Conversation last closed at"),
            "status": ("Conversation state", "Status"),
            "csat": ("Rating",),
            "subject": ("Title",),
        },
        values={
            "csat": {"Terrible": 1, "Bad": 2, "OK": 3, "Great": 4, "Amazing": 5},
            "priority": {"Priority": "high", "Prioritized": "high", "Not priority": "normal"},
        },
        reads=("User email", "First response time"),
    ),
)
