"""Static vocabularies of the demo book: segments, plans, prices, products, features,
names and the texts (ticket subjects, survey comments, touch summaries) rows draw from.

Everything here is plain data; the simulation modules index into it with numpy arrays,
so the order of every tuple is part of the generator's deterministic output.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_EMAIL_DOMAIN = "demo.tempo.test"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DEMO_SOURCE = "demo"

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
SEGMENT_SHARE = (0.60, 0.30, 0.10)
ICP_TIERS = ("A", "B", "C")
PLANS = ("Starter", "Growth", "Business", "Enterprise")
# P(plan | segment), rows follow SEGMENTS.
PLAN_BY_SEGMENT = (
    (0.55, 0.40, 0.05, 0.00),
    (0.00, 0.35, 0.55, 0.10),
    (0.00, 0.00, 0.30, 0.70),
)
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
REGION_SHARE = (0.48, 0.30, 0.14, 0.08)
CHANNELS = ("inbound", "outbound", "partner", "product_led")
CHANNEL_BY_SEGMENT = (
    (0.35, 0.10, 0.15, 0.40),
    (0.35, 0.35, 0.20, 0.10),
    (0.15, 0.60, 0.25, 0.00),
)
INDUSTRIES = (
    "Software",
    "Fintech",
    "Healthcare",
    "E-commerce",
    "Logistics",
    "Manufacturing",
    "Education",
    "Media",
    "Professional Services",
    "Real Estate",
    "Travel & Hospitality",
    "Nonprofit",
)

# Seats at signup: lognormal median and clip range per segment.
SEATS_MEDIAN = (14.0, 55.0, 200.0)
SEATS_RANGE = ((8, 45), (22, 150), (80, 650))
# Expansion stops at these many seats, and at this plan, per segment.
SEATS_CAP = (60, 170, 700)
TOP_PLAN = (2, 3, 3)
# Share of accounts billed monthly per segment (the rest sign annual contracts).
MONTHLY_SHARE = (0.50, 0.10, 0.0)

# Platform list price per seat per month, by plan; annual contracts get 10% off.
SEAT_PRICE_MONTH = (29.0, 45.0, 75.0, 115.0)
ANNUAL_DISCOUNT = 0.90
# API calls per month included by plan; the API add-on multiplies it.
API_LIMIT_BY_PLAN = (10_000, 100_000, 1_000_000, 5_000_000)
API_ADDON_MULTIPLIER = 5

PLATFORM = "Platform"
ADDONS = ("Analytics", "API", "Premium Support")
# Flat monthly price of each add-on per segment (quantity 1).
ADDON_PRICE_MONTH = (
    (90.0, 350.0, 1200.0),
    (150.0, 450.0, 1500.0),
    (300.0, 1200.0, 4000.0),
)
# P(add-on at signup | segment).
ADDON_AT_START = (
    (0.08, 0.04, 0.00),
    (0.22, 0.12, 0.10),
    (0.40, 0.30, 0.35),
)

VOLUNTARY_REASONS_LOW_USAGE = ("low adoption", "not enough value", "project ended")
VOLUNTARY_REASONS_LOW_HEALTH = ("product gaps", "poor support experience", "switched to a competitor")
VOLUNTARY_REASONS_OTHER = ("budget cuts", "company acquired", "voluntary")
PAYMENT_FAILED = "payment_failed"
DOWNGRADE = "downgrade"


@dataclass(frozen=True)
class FeatureSpec:
    id: int
    key: str
    name: str
    is_core: bool
    plans: tuple[str, ...]
    event_pattern: str
    # Engagement level above which an average account uses the feature.
    threshold: float
    # Share of the day's active users who touch the feature when it is in use.
    user_rate: float
    events_per_user: float
    minutes_per_user: float
    addon: str | None = None


_PAID = ("Business", "Enterprise")
FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(1, "workspace", "Workspace", True, (), r"^(login|session|workspace)\.", -9.0, 1.0, 6.0, 7.0),
    FeatureSpec(2, "dashboards", "Dashboards", True, (), r"^dashboard\.", -1.1, 0.60, 9.0, 6.0),
    FeatureSpec(3, "reports", "Reports", True, (), r"^report\.", -0.4, 0.35, 5.0, 6.0),
    FeatureSpec(4, "alerts", "Alerts & Notifications", True, (), r"^(alert|notification)\.", 0.0, 0.30, 3.0, 1.5),
    FeatureSpec(5, "collaboration", "Comments & Sharing", True, (), r"^(comment|share|mention)\.", 0.3, 0.35, 4.0, 2.5),
    FeatureSpec(6, "integrations", "Integrations", True, ("Growth", *_PAID), r"^integration\.", 0.6, 0.15, 3.0, 3.0),
    FeatureSpec(7, "automation", "Workflow Automation", False, _PAID, r"^(workflow|automation)\.", 0.6, 0.15, 4.0, 4.0),
    FeatureSpec(8, "api", "API", False, _PAID, r"^api\.", 0.3, 0.08, 2.0, 2.0, addon="API"),
    FeatureSpec(
        9, "analytics", "Advanced Analytics", False, _PAID, r"^analytics\.", 0.5, 0.20, 5.0, 8.0, addon="Analytics"
    ),
    FeatureSpec(10, "sso", "SSO & SCIM", False, ("Enterprise",), r"^(sso|scim)\.", -0.8, 0.05, 1.0, 0.5),
    FeatureSpec(11, "audit_log", "Audit Log", False, ("Enterprise",), r"^audit\.", 0.9, 0.03, 2.0, 2.0),
    FeatureSpec(12, "mobile", "Mobile App", False, (), r"^mobile\.", 0.2, 0.15, 4.0, 3.0),
    FeatureSpec(13, "data_import", "Data Import", False, (), r"^import\.", 0.8, 0.04, 2.0, 5.0),
)
API_FEATURE_INDEX = 7  # position of "api" in FEATURES

DATA_SOURCES = (
    ("events", "Product events"),
    ("tickets", "Support tickets"),
    ("surveys", "NPS and CSAT surveys"),
    ("touchpoints", "CSM touchpoints"),
    ("subscriptions", "Billing subscriptions"),
    ("invoices", "Billing invoices"),
)

NAME_HEADS = _words(
    "Acme Aero Alta Amber Apex Arc Aster Astra Atlas Aura Beacon Birch Blue Bold Bright Cedar Cinder "
    "Clear Cloud Cobalt Copper Coral Crest Crystal Delta Drift Echo Ember Everly Falcon Fern Flint "
    "Fox Frost Gale Garnet Glen Gold Granite Harbor Haven Helio Horizon Indigo Iron Ivy Jade Juniper "
    "Keystone Kite Lark Lumen Lunar Maple Marble Meadow Mesa Nimbus Noble North Nova Oak Onyx Orbit "
    "Pine Pioneer Polar Prism Quarry Quill Raven Ridge River Sage Sierra Silver Slate Solar Spruce "
    "Summit Terra Tide True Vale Vector Verde Willow Zephyr"
)
NAME_TAILS = _words(
    "bay bit bridge brook core craft crest dale field flow forge gate grid hive hub lake line link "
    "loop mark mint mont nest path peak point port shift side spark span stack stone stream sync ton "
    "vault view wave works"
)
NAME_KINDS = _words(
    "Analytics Bio Capital Cloud Commerce Consulting Data Design Digital Dynamics Energy Foods "
    "Freight Group Health Holdings Industries Insights Labs Learning Logistics Media Medical Networks "
    "Partners Pay Retail Robotics Security Software Solutions Studios Systems Technologies "
    "Therapeutics Travel Ventures Works HQ Inc"
)
FIRST_NAMES = _words(
    "Aisha Alex Amara Ana Andre Ben Carla Chen Chloe Daniel Diego Elena Emma Farah Felix Grace Hannah "
    "Hiro Ines Isaac Jamal Jana Jonas Julia Kai Kenji Lara Leo Lina Lucas Maya Mateo Mei Nadia Nina "
    "Noah Omar Priya Rafael Ravi Rosa Sam Sara Sofia Tariq Tom Uma Victor Yara Zoe"
)
LAST_NAMES = _words(
    "Adams Ahmed Alvarez Bauer Becker Brown Chen Costa Diaz Dubois Evans Fischer Garcia Gupta Hansen "
    "Ito Jensen Kim Kowalski Larsen Lee Lopez Martin Meyer Moreau Müller Nakamura Nguyen Novak Okafor "
    "Olsen Patel Perez Rossi Santos Schmidt Silva Singh Smith Suzuki Tanaka Taylor Thomas Wagner Wang "
    "Weber Williams Wilson Yilmaz Zhang"
)
CONTACT_TITLES = {
    "champion": ("Head of Operations", "Operations Manager", "Director of Customer Success", "Product Ops Lead"),
    "executive_sponsor": ("VP Operations", "Chief Operating Officer", "VP Customer Experience", "CTO"),
    "decision_maker": ("Director of IT", "Head of Procurement", "VP Finance", "Director of Operations"),
    "admin": ("Systems Administrator", "IT Manager", "Platform Admin", "RevOps Manager"),
    "user": ("Analyst", "Team Lead", "Specialist", "Coordinator", "Associate"),
}

PRODUCT_AREAS = (
    "Dashboards",
    "Reporting",
    "Integrations",
    "API",
    "Billing",
    "Permissions & SSO",
    "Data Import",
    "Notifications",
    "Mobile",
    "Performance",
)
# Base weight of each area; unhappy accounts shift toward the last column's areas.
AREA_WEIGHT = (0.14, 0.14, 0.13, 0.08, 0.08, 0.08, 0.09, 0.08, 0.06, 0.12)
AREA_FRICTION = (0.0, 0.5, 1.0, 0.8, 0.2, 0.3, 0.6, 0.2, 0.3, 1.0)
TICKET_SUBJECTS = (
    (
        "Dashboard widgets not refreshing",
        "Cannot share dashboard with external viewers",
        "Chart shows wrong totals after filter",
        "Request: dark mode for dashboards",
    ),
    (
        "Scheduled report arrived empty",
        "Export to CSV truncates rows",
        "Report totals differ from the API",
        "How do I add a custom column to a report?",
    ),
    (
        "Salesforce sync failing with auth error",
        "HubSpot integration duplicates contacts",
        "Slack notifications stopped after reconnect",
        "Webhook deliveries timing out",
    ),
    (
        "API returns 429 below our rate limit",
        "Pagination cursor skips records",
        "API key rotation question",
        "Intermittent 500s on bulk endpoint",
    ),
    (
        "Invoice shows wrong seat count",
        "Update billing contact and VAT number",
        "Card declined but payment went through",
        "Question about annual renewal pricing",
    ),
    (
        "SSO login loop for some users",
        "SCIM provisioning does not deactivate users",
        "Need to restrict admin role permissions",
        "Users see workspaces they should not",
    ),
    (
        "CSV import fails on date column",
        "Import stuck at 80% for hours",
        "Duplicate records after re-import",
        "Mapping template lost custom fields",
    ),
    (
        "Email alerts going to spam",
        "Too many notifications after update",
        "Digest email missing yesterday's data",
        "Alert rule not firing",
    ),
    (
        "Mobile app crashes on login",
        "Push notifications delayed on Android",
        "Offline mode loses edits",
        "Mobile charts unreadable on small screens",
    ),
    (
        "App very slow since last release",
        "Pages time out during business hours",
        "Search takes over 20 seconds",
        "Outage this morning: need an RCA",
    ),
)
TICKET_SLA_HOURS = (1.0, 4.0, 24.0, 48.0)  # first-response SLA by priority P1..P4

NPS_COMMENTS = (
    (
        "We are evaluating alternatives.",
        "Too many bugs lately.",
        "Support takes days to answer.",
        "Price is hard to justify for what we use.",
    ),
    ("Does the job.", "Good, but reporting could be better.", "Onboarding new users is slow.", "Fine for now."),
    (
        "Our team lives in it every day.",
        "Great product and great CSM.",
        "Integrations saved us hours every week.",
        "Would recommend to any ops team.",
    ),
)
TOUCH_SUMMARIES = {
    "call": ("Check-in call: {s} tone, reviewed adoption and open tickets.",),
    "email": ("Email follow-up on {s} note: shared resources and next steps.",),
    "meeting": ("Working session with the team; overall {s}.",),
    "qbr": ("Quarterly business review: {s} discussion of goals, usage and roadmap.",),
    "note": ("Internal note: relationship looks {s}.",),
}
SENTIMENT_WORDS = {"negative": "tense", "neutral": "neutral", "positive": "upbeat"}
