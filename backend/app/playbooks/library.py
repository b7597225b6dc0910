"""The default playbook library (DESIGN §10): a play for every default alert rule, each for
the situation it is written for. Texts are ours; numbers come from the account and from the
alert that fired.

Template names: ``account`` (name, arr, plan, segment, renewal_date, days_to_renewal),
``health`` (score, band, quadrant, usage, support, sentiment, relationship, commercial),
``usage`` (active_users, seats, user_days, feature_adoption, core_used, core_available,
minutes_per_user_week, user_growth), ``support`` (open_tickets, urgent_open,
oldest_open_days, tickets: [{id, subject, priority, age_days, escalated}], worst: the most
urgent and oldest open ticket or None), ``sentiment`` (nps, csat), ``alert`` (title, rule,
facts, or None in a preview without an alert), ``contact`` (name, first_name, email of the
champion or primary contact), ``csm`` (name, email: the account owner), ``lead`` (the owner's
lead), ``support_lead`` (name, email).

Step roles (``assignee_role``): owner, leader (the owner's lead), support_lead; every task
goes to a named person (``app.playbooks.context``).

Which play an alert gets (``service.suggest``): a play written for the account's health band
(``trigger_bands``) before one for any band, then built-in before the team's own, then by
name: the renewal rescue takes renewals at risk, the value review and the close the others.
``tests/playbooks/test_library.py`` checks that every rule of the default config, in every
band, finds one.
"""

from __future__ import annotations

from typing import Any

SIGN_OFF = "\n\nBest,\n{{ csm.name }}"

# The one ticket a critical-ticket or surge play is about, named in tasks and emails.
WORST = (
    "{{ support.worst.id }} ({{ support.worst.priority }}"
    "{% if support.worst.subject %}, {{ support.worst.subject }}{% endif %})"
)
# "for the Jan 2, 2027 renewal", or nothing when no renewal is on record (a preview).
FOR_RENEWAL = "{% if account.renewal_date %} for the {{ account.renewal_date | day }} renewal{% endif %}"


def step(title: str, days: int, role: str = "owner") -> dict[str, Any]:
    return {"title": title, "due_offset_days": days, "assignee_role": role}


LIBRARY: list[dict[str, Any]] = [
    {
        "key": "churn-risk-call",
        "name": "Churn-risk call",
        "description": "The account fell into Churn Risk: executive call, the lead briefed, a 30-day plan.",
        "trigger_type": "quadrant_move",
        "trigger_value": "*->churn_risk",
        "steps": [
            step("Brief {{ lead.name }} on {{ account.name }} (health {{ health.score | num }})", 0, "leader"),
            step("Call {{ contact.name }}, the executive sponsor", 2),
            step("Write and share a 30-day action plan with {{ contact.name }}", 5),
            step("Review the plan's progress with {{ lead.name }}", 30, "leader"),
        ],
        "email_subject_template": "{{ account.name }}: our next 30 days together",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "I would like to set up a short call with you and your team this week. Over the last weeks we have "
            "seen {{ usage.active_users | num }} people active in the product"
            "{% if usage.seats %} out of {{ usage.seats | num }} seats{% endif %}"
            "{% if support.open_tickets %}, and {{ support.open_tickets | num }} support "
            "ticket{{ 's' if support.open_tickets != 1 else '' }} still open{% endif %}. "
            "I want to make sure we fix what is getting in your way.\n\n"
            "I will bring a concrete 30-day plan; {{ lead.name }} from our side will join us." + SIGN_OFF
        ),
    },
    {
        "key": "frustrated-power-user-outreach",
        "name": "Frustrated power user outreach",
        "description": "Heavy use, poor health: reach out within a day, map the friction, loop in product.",
        "trigger_type": "quadrant_move",
        "trigger_value": "*->frustrated_power_users",
        "steps": [
            step("Reach out to {{ contact.name }} today", 1),
            step(
                "Map the friction to a product area"
                "{% if support.worst %} (start with {{ support.worst.id }}: {{ support.worst.subject }}){% endif %}",
                3,
            ),
            step("Flag it to the product liaison", 4),
        ],
        "email_subject_template": "Checking in on your experience with us",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Your team uses us a lot — {{ usage.active_users | num }} active people and "
            "{{ usage.feature_adoption | pct }} of the core features — and I noticed things have been "
            "rougher lately{% if support.open_tickets %} ({{ support.open_tickets | num }} open "
            "ticket{{ 's' if support.open_tickets != 1 else '' }}){% endif %}. Could we take 20 minutes to go "
            "through what is not working? I will bring someone from our product team." + SIGN_OFF
        ),
    },
    {
        "key": "relationship-dependent-diagnosis",
        "name": "Relationship-dependent diagnosis",
        "description": "They like us but do not use us: training gap or product gap?",
        "trigger_type": "quadrant_move",
        "trigger_value": "*->relationship_dependent",
        "steps": [
            step(
                "Find out whether low use ({{ usage.core_used | num }} of {{ usage.core_available | num }} core "
                "features) is a training or a product gap",
                5,
            ),
            step("Propose training or log the product gap", 10),
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
        "key": "health-drop-review",
        "name": "Health drop review",
        "description": "Health fell fast: find the component that moved before the customer says so.",
        "trigger_type": "alert_rule",
        "trigger_value": "health_drop",
        "steps": [
            step(
                "Find what moved health"
                "{% if alert %} from {{ alert.facts.health_before | num }} to {{ alert.facts.health | num }}"
                "{% endif %} (usage {{ health.usage | num }}, support {{ health.support | num }}, "
                "sentiment {{ health.sentiment | num }})",
                1,
            ),
            step("Check in with {{ contact.name }}", 3),
        ],
        "email_subject_template": "A quick check-in from {{ csm.name }}",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "I wanted to check in: is everything going the way you expected with us lately? If something has "
            "changed on your side — a new team, a new priority, a problem we have not heard about — I would "
            "like to hear it early. Do you have 20 minutes this week?" + SIGN_OFF
        ),
    },
    {
        "key": "critical-ticket-escalation",
        "name": "Critical ticket escalation",
        "description": "A P1/P2 ticket has been open for more than a day.",
        "trigger_type": "alert_rule",
        "trigger_value": "critical_ticket",
        "steps": [
            step(
                "{% if support.worst %}Escalate " + WORST + " to {{ support_lead.name }}"
                "{% else %}Escalate the open P1/P2 ticket to {{ support_lead.name }}{% endif %}",
                0,
            ),
            step(
                "{% if support.worst %}Get " + WORST + " resolved or give a fix date"
                "{% else %}Get the P1/P2 ticket resolved or give a fix date{% endif %}",
                1,
                "support_lead",
            ),
            step("Update {{ contact.name }} on the ticket", 1),
        ],
        "email_subject_template": (
            "{% if support.worst %}Your ticket {{ support.worst.id }}: where it stands"
            "{% else %}Your open ticket: where it stands{% endif %}"
        ),
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            '{% if support.worst %}I saw that your ticket {{ support.worst.id }} ("{{ support.worst.subject }}") '
            "has been open for {{ support.worst.age_days }} day{{ 's' if support.worst.age_days != 1 else '' }}"
            "{% if support.urgent_open and support.urgent_open > 1 %}, one of {{ support.urgent_open | num }} "
            "urgent tickets you have open{% endif %}. "
            "{% else %}I saw that an urgent ticket of yours has been open for more than a day. {% endif %}"
            "I have escalated it to {{ support_lead.name }} and will keep you posted myself until it is "
            "resolved." + SIGN_OFF
        ),
    },
    {
        "key": "ticket-surge-review",
        "name": "Ticket surge review",
        "description": "Many tickets at once: find the common cause and tell the customer you see it.",
        "trigger_type": "alert_rule",
        "trigger_value": "ticket_surge",
        "steps": [
            step(
                "Review the {{ support.open_tickets | num }} open tickets with {{ support_lead.name }}"
                "{% if support.worst %} (oldest urgent: " + WORST + "){% endif %}",
                1,
                "support_lead",
            ),
            step("Tell {{ contact.name }} what the tickets have in common and what happens next", 2),
        ],
        "email_subject_template": "Your recent support tickets",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Your team has {{ support.open_tickets | num }} ticket{{ 's' if support.open_tickets != 1 else '' }} "
            "open with us right now, more than usual. I am going through them with {{ support_lead.name }} to "
            "find what they have in common, and I will come back to you with what we found and what we are "
            "doing about it." + SIGN_OFF
        ),
    },
    {
        "key": "usage-reengagement",
        "name": "Usage re-engagement check-in",
        "description": "Usage is falling: find out why and offer a refresher.",
        "trigger_type": "alert_rule",
        "trigger_value": "usage_decline",
        "steps": [
            step(
                "Look at which teams stopped using the product"
                "{% if alert %} (user-days {{ alert.facts.prev_user_days | num }} → {{ alert.facts.user_days | num }})"
                "{% endif %}",
                1,
            ),
            step("Offer {{ contact.name }} a refresher session", 3),
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
        "key": "inactivity-check",
        "name": "No activity check",
        "description": "No product activity for two weeks: rule out a broken integration, then reach out.",
        "trigger_type": "alert_rule",
        "trigger_value": "inactivity",
        "steps": [
            step("Check the integration and tracking before assuming churn", 1),
            step("Call {{ contact.name }} if the data is right", 2),
        ],
        "email_subject_template": "Is everything working on your side?",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "We have not seen activity from {{ account.name }}"
            "{% if alert %} for {{ alert.facts.days | num }} days{% else %} for a while{% endif %}. Is the "
            "integration still connected, or has something changed on your side?" + SIGN_OFF
        ),
    },
    {
        "key": "detractor-follow-up",
        "name": "Detractor follow-up",
        "description": "A detractor answer to the NPS survey: call back within two days.",
        "trigger_type": "alert_rule",
        "trigger_value": "detractor",
        "steps": [
            step(
                "Call back the person who answered"
                "{% if alert %} {{ alert.facts.lowest_nps | num }}{% endif %} to the NPS survey",
                2,
            ),
            step("Log what they said and what we will change", 3),
        ],
        "email_subject_template": "Thank you for your honest feedback",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Thank you for answering our survey"
            "{% if alert %} — a {{ alert.facts.lowest_nps | num }} out of 10 tells us we are letting you down"
            "{% endif %}. I would like to understand what is behind it. Could we talk for 15 minutes this "
            "week?" + SIGN_OFF
        ),
    },
    {
        "key": "renewal-value-review",
        "name": "Renewal value review",
        "description": "90 days before renewal (not at risk): a value summary with the account's own numbers.",
        "trigger_type": "renewal_milestone",
        "trigger_value": "90",
        "steps": [
            step("Prepare the value summary" + FOR_RENEWAL, 7),
            step("Hold the value review meeting with {{ contact.name }}", 21),
            step("Confirm the renewal forecast", 30),
        ],
        "email_subject_template": "Your year with us{% if account.renewal_date %}, ahead of the "
        "{{ account.renewal_date | day }} renewal{% endif %}",
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
        "key": "renewal-close",
        "name": "Renewal close",
        "description": "60 and 30 days before renewal (not at risk): confirm the signer and send the renewal.",
        "trigger_type": "renewal_milestone",
        "trigger_value": "60,30",
        "steps": [
            step("Confirm who signs" + FOR_RENEWAL, 2),
            step("Send the renewal ({{ account.arr | money }} ARR) and agree the date", 5),
            step("Set the renewal forecast", 7),
        ],
        "email_subject_template": "Your upcoming renewal",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "{% if account.renewal_date %}Your subscription renews on {{ account.renewal_date | day }}, in "
            "{{ account.days_to_renewal }} days. {% endif %}"
            "Who on your side should receive the renewal, and is there anything you would like to change "
            "before then — seats, plan, terms?" + SIGN_OFF
        ),
    },
    {
        "key": "renewal-rescue",
        "name": "Renewal rescue",
        "description": "A renewal within 90 days on an account at risk: the lead in early, a save plan.",
        "trigger_type": "renewal_milestone",
        "trigger_value": "90,60,30",
        "trigger_bands": ["at_risk"],
        "steps": [
            step(
                "Review the renewal" + FOR_RENEWAL + " ({{ account.arr | money }} ARR, "
                "health {{ health.score | num }}) with {{ lead.name }}",
                1,
                "leader",
            ),
            step("Meet {{ contact.name }} to hear what would make them renew", 5),
            step("Agree a save plan and set the forecast", 7),
        ],
        "email_subject_template": "Before your renewal: what would make the next year better?",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "Your renewal is {% if account.days_to_renewal is not none %}in {{ account.days_to_renewal }} days"
            "{% else %}coming up{% endif %}, and I want to make sure the next year is better than the last. "
            "Could we meet this week? I would like to hear, frankly, what is not working for your team, and "
            "bring a plan to fix it." + SIGN_OFF
        ),
    },
    {
        "key": "expansion-conversation",
        "name": "Expansion conversation",
        "description": "Healthy and broadly adopted, or close to a seat or API limit: talk about growing.",
        "trigger_type": "alert_rule",
        "trigger_value": "expansion_ready,seat_limit,api_limit",
        "steps": [
            step(
                "Size the expansion"
                "{% if alert and alert.rule == 'seat_limit' %} ({{ alert.facts.active_users | num }} users on "
                "{{ alert.facts.seat_limit | num }} seats){% elif alert and alert.rule == 'api_limit' %} "
                "({{ alert.facts.api_calls | num }} of {{ alert.facts.api_call_limit | num }} API calls)"
                "{% endif %}",
                3,
            ),
            step("Propose the expansion to {{ contact.name }}", 10),
        ],
        "email_subject_template": "Room to grow at {{ account.name }}",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "{% if alert and alert.rule == 'seat_limit' %}Your team now has {{ alert.facts.active_users | num }} "
            "active people on {{ alert.facts.seat_limit | num }} seats, so you will hit the limit soon. "
            "{% elif alert and alert.rule == 'api_limit' %}Your integration made "
            "{{ alert.facts.api_calls | num }} API calls in the last four weeks, close to the "
            "{{ alert.facts.api_call_limit | num }} your plan includes. "
            "{% else %}Your team is getting real value — {{ usage.feature_adoption | pct }} of the core "
            "features in use and {{ usage.active_users | num }} active people. {% endif %}"
            "Would it help to talk about the right plan for where you are going?" + SIGN_OFF
        ),
    },
    {
        "key": "payment-follow-up",
        "name": "Payment follow-up",
        "description": "An invoice is 30 days or more overdue.",
        "trigger_type": "alert_rule",
        "trigger_value": "payment_overdue",
        "steps": [
            step(
                "Confirm the billing contact and why the invoice"
                "{% if alert %} ({{ alert.facts.days_overdue | num }} days overdue){% endif %} is unpaid",
                2,
            )
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
        "key": "champion-advocacy",
        "name": "Champion advocacy",
        "description": "Ask healthy champions for a reference or a seat on the advisory board.",
        "trigger_type": "manual",
        "trigger_value": None,
        "steps": [step("Ask {{ contact.name }} for a reference or an advisory board seat", 7)],
        "email_subject_template": "Would you share your story?",
        "email_body_template": (
            "Hi {{ contact.first_name }},\n\n"
            "You have been one of our most engaged customers. Would you be open to being a reference, or to "
            "joining our customer advisory board?" + SIGN_OFF
        ),
    },
]
