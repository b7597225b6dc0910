"""The domain's closed vocabularies, shared by models, schemas and CHECK constraints."""

from enum import StrEnum


# The kinds of ingest items (DESIGN §5), also the kinds of unmatched records. No docstring:
# it would become the description of the ``Kind`` schema in the API document.
class Kind(StrEnum):
    accounts = "accounts"
    contacts = "contacts"
    events = "events"
    usage_daily = "usage-daily"
    tickets = "tickets"
    surveys = "surveys"
    touchpoints = "touchpoints"
    subscriptions = "subscriptions"
    invoices = "invoices"


class Role(StrEnum):
    admin = "admin"
    leader = "leader"
    csm = "csm"
    product = "product"
    viewer = "viewer"


class AccountStatus(StrEnum):
    active = "active"
    churned = "churned"


class Flag(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"
    blue = "blue"


class ContactRole(StrEnum):
    champion = "champion"
    executive_sponsor = "executive_sponsor"
    decision_maker = "decision_maker"
    admin = "admin"
    user = "user"


class TicketStatus(StrEnum):
    open = "open"
    pending = "pending"
    solved = "solved"
    closed = "closed"


class SurveyKind(StrEnum):
    nps = "nps"
    csat = "csat"


class TouchpointKind(StrEnum):
    call = "call"
    email = "email"
    meeting = "meeting"
    qbr = "qbr"
    note = "note"


class Sentiment(StrEnum):
    negative = "negative"
    neutral = "neutral"
    positive = "positive"


class BillingInterval(StrEnum):
    month = "month"
    year = "year"


class InvoiceStatus(StrEnum):
    draft = "draft"
    open = "open"
    paid = "paid"
    void = "void"
    uncollectible = "uncollectible"


class Forecast(StrEnum):
    commit = "commit"
    upside = "upside"
    risk = "risk"
    churn = "churn"


class RenewalTerm(StrEnum):
    """What a renewal renews: a monthly billing cycle, a yearly or multi-year term, or a
    contract date from the CRM whose length is not known."""

    monthly = "monthly"
    annual = "annual"
    multi_year = "multi_year"
    contract = "contract"


class RenewalSource(StrEnum):
    crm = "crm"  # the contract renewal date sent with the account (it wins)
    billing = "billing"  # the next billing cycle of the live subscription lines


class RenewalOutcome(StrEnum):
    renewed = "renewed"
    expanded = "expanded"
    contracted = "contracted"
    churned = "churned"


class Quadrant(StrEnum):
    champions = "champions"
    frustrated_power_users = "frustrated_power_users"
    relationship_dependent = "relationship_dependent"
    churn_risk = "churn_risk"


# Each quadrant's side of the two cutoffs: (usage high, health high).
QUADRANT_SIDES: dict[Quadrant, tuple[int, int]] = {
    Quadrant.champions: (1, 1),
    Quadrant.frustrated_power_users: (1, 0),
    Quadrant.relationship_dependent: (0, 1),
    Quadrant.churn_risk: (0, 0),
}


def move_direction(from_q: Quadrant | None, to_q: Quadrant) -> str:
    """worse (lower usage or health, neither higher), better, or sideways."""
    if from_q is None:
        return "sideways"
    du = QUADRANT_SIDES[to_q][0] - QUADRANT_SIDES[from_q][0]
    dh = QUADRANT_SIDES[to_q][1] - QUADRANT_SIDES[from_q][1]
    if du <= 0 and dh <= 0 and (du or dh):
        return "worse"
    if du >= 0 and dh >= 0 and (du or dh):
        return "better"
    return "sideways"


class Band(StrEnum):
    healthy = "healthy"
    watch = "watch"
    at_risk = "at_risk"


class RunKind(StrEnum):
    daily = "daily"
    incremental = "incremental"
    backfill = "backfill"


class RunCadence(StrEnum):
    daily = "daily"
    weekly = "weekly"
    history = "history"


class RunStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class AlertStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    snoozed = "snoozed"
    resolved = "resolved"


class TriggerType(StrEnum):
    alert_rule = "alert_rule"
    quadrant_move = "quadrant_move"
    renewal_milestone = "renewal_milestone"
    manual = "manual"


class PlaybookRunStatus(StrEnum):
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


class DeliveryChannel(StrEnum):
    webhook = "webhook"
    slack = "slack"
    email = "email"


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"
    dead = "dead"


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


class EmbedStatus(StrEnum):
    """An embed configuration: active (its tokens work), paused (refused until resumed), revoked (for good)."""

    active = "active"
    paused = "paused"
    revoked = "revoked"


class ApiKeyScope(StrEnum):
    """What an API key may do. A key with ``read``, ``ingest`` or ``admin`` is limited to them
    (read: reading; ingest: sending data; admin: everything); a key with none of the three acts
    by its role. ``embed`` issues embed tokens, with either kind of key."""

    ingest = "ingest"
    read = "read"
    embed = "embed"
    admin = "admin"
