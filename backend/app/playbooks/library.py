"""The default playbook library (DESIGN §10). Texts are ours; numbers come from the account.

Template names: ``account`` (name, arr, plan, segment, renewal_date, days_to_renewal),
``health`` (score, band, quadrant, usage, support, sentiment, relationship, commercial),
``usage`` (active_users, seats, user_days, feature_adoption, core_used, core_available,
minutes_per_user_week, user_growth), ``support`` (open_tickets, urgent_open,
oldest_open_days), ``sentiment`` (nps, csat), ``alert`` (title, rule, facts or None),
``contact`` (name, first_name of the champion or primary contact), ``csm`` (name, email).
"""

from __future__ import annotations

from typing import Any

SIGN_OFF = "\n\nBest,\n{{ csm.name }}"

LIBRARY: list[dict[str, Any]] = [
    {
        "key": "churn-risk-call",
        "name": "Churn-risk call",
        "description": "Executive call, escalation to the VP of CS and a 30-day action plan.",
        "trigger_type": "quadrant_move",
        "trigger_value": "*->churn_risk",
        "steps": [
            {"title": "Brief the VP of CS on {{ account.name }}", "due_offset_days": 0, "assignee_role": "leader"},
            {"title": "Call the executive sponsor", "due_offset_days": 2, "assignee_role": "owner"},
            {"title": "Write and share a 30-day action plan", "due_offset_days": 5, "assignee_role": "owner"},
            {"title": "Review the plan's progress", "due_offset_days": 30, "assignee_role": "owner"},
        ],
        "email_subject_template": "{{ account.name }}: our next 30 days together",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "I would like to set up a short call with you and your team this week. Over the last weeks we have "
            "seen {{ usage.active_users | num }} people active in the product"
            "{% if usage.seats %} out of {{ usage.seats | num }} seats{% endif %}"
            "{% if support.open_tickets %}, and {{ support.open_tickets | num }} support tickets still open"
            "{% endif %}. I want to make sure we fix what is getting in your way.\n\n"
            "I will bring a concrete 30-day plan; our VP of Customer Success will join us." + SIGN_OFF
        ),
    },
    {
        "key": "frustrated-power-user-outreach",
        "name": "Frustrated power user outreach",
        "description": "Reach out within 24 hours, map the friction to a product area, loop in the PM liaison.",
        "trigger_type": "quadrant_move",
        "trigger_value": "champions->frustrated_power_users",
        "steps": [
            {"title": "Reach out to {{ contact.name }} today", "due_offset_days": 1, "assignee_role": "owner"},
            {"title": "Map the friction to a product area", "due_offset_days": 3, "assignee_role": "owner"},
            {"title": "Flag it to the PM liaison", "due_offset_days": 4, "assignee_role": "owner"},
        ],
        "email_subject_template": "Checking in on your experience with us",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Your team uses us a lot — {{ usage.active_users | num }} active people and "
            "{{ usage.feature_adoption | pct }} of the core features — and I noticed things have been "
            "rougher lately{% if support.open_tickets %} ({{ support.open_tickets | num }} open tickets)"
            "{% endif %}. Could we take 20 minutes to go through what is not working? I will bring someone "
            "from our product team." + SIGN_OFF
        ),
    },
    {
        "key": "usage-reengagement",
        "name": "Usage re-engagement check-in",
        "description": "Usage is falling: find out why and offer a refresher.",
        "trigger_type": "alert_rule",
        "trigger_value": "usage_decline",
        "steps": [
            {"title": "Look at which teams stopped using the product", "due_offset_days": 1, "assignee_role": "owner"},
            {"title": "Offer a refresher session", "due_offset_days": 3, "assignee_role": "owner"},
        ],
        "email_subject_template": "A quick check-in on {{ account.name }}'s setup",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Activity on your account has dropped over the last four weeks "
            "({{ usage.user_days | num }} active user-days). Has something changed on your side — a new "
            "process, a team that moved on? I am happy to run a 30-minute refresher for anyone who would "
            "like one." + SIGN_OFF
        ),
    },
    {
        "key": "renewal-value-review",
        "name": "Renewal value review",
        "description": "90 days before renewal: a value summary with the account's own numbers.",
        "trigger_type": "renewal_milestone",
        "trigger_value": "90",
        "steps": [
            {"title": "Prepare the value summary", "due_offset_days": 7, "assignee_role": "owner"},
            {"title": "Hold the value review meeting", "due_offset_days": 21, "assignee_role": "owner"},
            {"title": "Confirm the renewal forecast", "due_offset_days": 30, "assignee_role": "owner"},
        ],
        "email_subject_template": "Your year with us{% if account.renewal_date %}, ahead of the "
        "{{ account.renewal_date }} renewal{% endif %}",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "{% if account.days_to_renewal is not none %}Your renewal is in {{ account.days_to_renewal }} days, "
            "so here is{% else %}Here is{% endif %} what the last months looked "
            "like: {{ usage.active_users | num }} people active, {{ usage.core_used | num }} of "
            "{{ usage.core_available | num }} core features in use, about "
            "{{ usage.minutes_per_user_week | num }} minutes per person each week. I would like to walk you "
            "through it and hear what you want from the next year." + SIGN_OFF
        ),
    },
    {
        "key": "relationship-dependent-diagnosis",
        "name": "Relationship-dependent diagnosis",
        "description": "They like us but do not use us: training gap or product gap?",
        "trigger_type": "quadrant_move",
        "trigger_value": "champions->relationship_dependent",
        "steps": [
            {
                "title": "Find out whether it is a training or a product gap",
                "due_offset_days": 5,
                "assignee_role": "owner",
            },
            {"title": "Propose training or log the product gap", "due_offset_days": 10, "assignee_role": "owner"},
        ],
        "email_subject_template": "Getting more out of {{ account.plan or 'your plan' }}",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Thank you for the time you always make for us. I noticed only "
            "{{ usage.core_used | num }} of the {{ usage.core_available | num }} core features are in use. "
            "Is something missing, or would a short training for the team help?" + SIGN_OFF
        ),
    },
    {
        "key": "critical-ticket-escalation",
        "name": "Critical ticket escalation",
        "description": "A P1/P2 has been open for more than a day.",
        "trigger_type": "alert_rule",
        "trigger_value": "critical_ticket",
        "steps": [
            {"title": "Escalate the ticket to the support lead", "due_offset_days": 0, "assignee_role": "owner"},
            {"title": "Update the customer", "due_offset_days": 1, "assignee_role": "owner"},
        ],
        "email_subject_template": "Your open ticket: where it stands",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "I saw that {{ support.urgent_open | num }} of your urgent tickets has been open for more than a "
            "day. I have escalated it and will personally keep you posted until it is resolved." + SIGN_OFF
        ),
    },
    {
        "key": "expansion-conversation",
        "name": "Expansion conversation",
        "description": "Healthy and broadly adopted, or near a seat/API limit.",
        "trigger_type": "alert_rule",
        "trigger_value": "expansion_ready",
        "steps": [
            {"title": "Size the expansion", "due_offset_days": 3, "assignee_role": "owner"},
            {"title": "Propose the expansion", "due_offset_days": 10, "assignee_role": "owner"},
        ],
        "email_subject_template": "Room to grow at {{ account.name }}",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Your team is getting real value — {{ usage.feature_adoption | pct }} of the core features in "
            "use and {{ usage.active_users | num }} active people. Would it help to talk about bringing more "
            "teams on board?" + SIGN_OFF
        ),
    },
    {
        "key": "champion-advocacy",
        "name": "Champion advocacy",
        "description": "Ask healthy champions for a reference or a seat on the advisory board.",
        "trigger_type": "manual",
        "trigger_value": None,
        "steps": [
            {"title": "Ask for a reference or advisory board seat", "due_offset_days": 7, "assignee_role": "owner"}
        ],
        "email_subject_template": "Would you share your story?",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "You have been one of our most engaged customers. Would you be open to being a reference, or to "
            "joining our customer advisory board?" + SIGN_OFF
        ),
    },
    {
        "key": "payment-follow-up",
        "name": "Payment follow-up",
        "description": "An invoice is 30 days or more overdue.",
        "trigger_type": "alert_rule",
        "trigger_value": "payment_overdue",
        "steps": [
            {"title": "Confirm billing contact and payment status", "due_offset_days": 2, "assignee_role": "owner"}
        ],
        "email_subject_template": "A quick note about an open invoice",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Our records show an invoice for {{ account.name }} "
            "{% if alert %}open for {{ alert.facts.days_overdue | num }} days{% else %}still open{% endif %}. "
            "Could you point me to the right person in accounts payable?" + SIGN_OFF
        ),
    },
    {
        "key": "stale-data-fix",
        "name": "Stale data fix",
        "description": "Signals stopped arriving for this account.",
        "trigger_type": "alert_rule",
        "trigger_value": "inactivity",
        "steps": [
            {"title": "Check the integration before assuming churn", "due_offset_days": 1, "assignee_role": "owner"}
        ],
        "email_subject_template": "Is everything working on your side?",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "We have not seen activity from {{ account.name }} for a while. Is the integration still "
            "connected, or has something changed?" + SIGN_OFF
        ),
    },
]
