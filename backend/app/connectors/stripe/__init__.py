"""Stripe webhooks: verify the signature, then turn subscriptions and invoices into ingest items.

Owns Stripe's wire format only; everything after translation (validation, identity
resolution, unmatched storage and replay, freshness of source ``stripe``, rescoring) is
``app.ingest.service.ingest``.

Signature (Stripe's scheme): ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]``; the
expected signature is HMAC-SHA256(signing secret, ``"<t>.<raw body>"``) in hex, compared
in constant time with every ``v1``; a delivery signed more than the tolerance (default
300 s) away from now is refused, which also refuses replays of old deliveries. The header
is parsed strictly before anything else (``_parse_signature_header``: printable-ASCII
``key=value`` parts, one ``t`` of 1-10 ASCII digits, 1-8 hex ``v1``, bounded length);
anything else is the same 400 ``Invalid Stripe signature`` problem.

Mapping:
- ``customer.subscription.created|updated|deleted``: one ``subscriptions`` item per
  subscription item (id ``si_...``). Product = the price's product id; plan = price
  nickname, else price id; unit amount = price unit amount in major units per month or
  year (``interval_count`` > 1 is divided out; weekly and daily prices become their
  monthly equivalent: x 52/12 and x 365/12).
  **Metered and tiered prices** have no fixed unit amount: the subscription event records
  who pays for which product (``stripe_usage_item``) and each finalized invoice (open,
  paid or uncollectible) values the line: the amount its lines bill for that item, per
  month of the billed period, from the period's start (usage billed in arrears lands on
  the month it was used). Until the first invoice the line has no value; when the
  subscription ends, the line ends at its last invoiced value. Start = ``start_date``, or ``trial_end`` when a
  trial ran past it (revenue starts when the trial converts). A ``canceled`` subscription
  (or a ``deleted`` event) ends at ``ended_at`` (else ``canceled_at``), an exclusive date,
  with cancellation reason ``payment_failed`` (involuntary), ``voluntary``
  (``cancellation_requested``) or Stripe's reason text. Items that an ``updated`` event
  lists in ``previous_attributes`` but no longer carries were removed: their lines end on
  the event's date (contraction, no cancellation reason). ``incomplete`` and
  ``incomplete_expired`` subscriptions never paid and are skipped with a warning.
- ``invoice.*`` (except ``invoice.upcoming``, a preview without an id): one ``invoices``
  item (id ``in_...``): amount = ``amount_due`` in major units, issued = ``created``,
  due = ``due_date``, paid = ``status_transitions.paid_at``, status as Stripe's
  (``invoice.deleted`` -> ``void``).
- ``customer.created|updated`` with ``metadata.tempo_external_id``: the customer id
  becomes the ``stripe`` alias of that account (created, named after the customer, if
  Tempo does not have it yet), and items waiting for the customer are replayed.
- Anything else is acknowledged and ignored.

Times: Stripe's are Unix seconds (JSON integers). A time Tempo reads must name an instant
from 1970-01-01 to 10 years after today (``app.core.types.signal_range``, the range of
every ingest date); null or absent is *missing*. A value that is there but is not such an
integer (out of range, negative, a float, a string, a boolean...) never fails the event;
per field it either
- **rejects the item** (``loc`` is Stripe's field; the message names the field, the value
  and the range): a subscription's ``start_date`` (its ``created`` only when
  ``start_date`` is missing), ``trial_end`` (it moves the start), and, when the
  subscription has ended, ``ended_at`` (``canceled_at`` only when ``ended_at`` is
  missing): all the lines the event describes are rejected; an invoice's ``created``
  (required) and ``due_date`` (a due date Tempo cannot read would make an invoice that is
  overdue look current). An invoice line's ``period.start``/``period.end`` rejects the
  valuation of that usage-priced item from this invoice (the invoice itself is kept);
- or **is read as missing, with a warning**: an invoice's ``status_transitions.paid_at``
  (Stripe's ``status`` says whether it is paid; a paid one is then paid at the event's
  time, as when Stripe leaves ``paid_at`` out).
Times Tempo does not read are never checked: ``current_period_start``/``_end``,
``billing_cycle_anchor``, ``cancel_at``, ``trial_start``, a live subscription's
``ended_at``/``canceled_at``, a subscription's ``created`` next to a ``start_date``. The
event's own ``created`` outside 0 to 9999-12-31 is the 400 ``Malformed Stripe event``; one
past 10 years ahead reaches ingest, which rejects the items it dates.

Accounts (first that applies): an expanded ``customer`` with ``metadata.tempo_external_id``;
the object's own ``metadata.tempo_external_id``; for invoices the subscription's metadata
(``parent.subscription_details.metadata``, or ``subscription_details.metadata`` in API
versions before 2025-03-31); else the customer id through the ``stripe`` alias. Unknown
accounts make unmatched records; the webhook still answers 200. Items Tempo refuses are
recorded with the event id (``GET /api/v1/sources/stripe/rejections``).

Idempotency and ordering, per event (table ``stripe_event``, in the request's one
transaction, so an event is recorded exactly when what it did is committed):

- **By event id**: the id is recorded with ``INSERT ... ON CONFLICT DO NOTHING RETURNING``
  before anything is ingested; an id already recorded is not processed again and is
  answered 200 with ``duplicate: true`` (``outcome: duplicate``), its items counted as
  duplicates. A concurrent delivery of the same id waits for the first one's transaction
  and then sees its row (or, if that one failed and rolled back, processes the event).
- **By ``created`` per object** (the subscription, invoice or customer id): events about
  one object are serialised by a transaction-scoped advisory lock; an event older than one
  already *processed* about the same object (strictly earlier ``created``) is recorded as
  ``stale`` and answered 200 with ``outcome: stale`` and ``newer_event``; it changes no
  current state: no line, invoice (amounts included), usage item or alias. The only thing
  a stale subscription event may still do, on its first delivery, is fill in the history
  of a line Tempo first heard of after a change (``app.ingest.line_versions``: backfill,
  e.g. an ``updated`` delivered before its ``created``), which never touches the current
  version. Events with the **same** ``created`` second are all processed (Stripe's bursts
  often share a second): within a second the item-level rules below and the line versions'
  own ``state_at`` decide. Ordering is per object only: events without an object id are
  only deduplicated. Event types Tempo ignores are not recorded.
- Items are also upserted by (``stripe``, Stripe id), and a late snapshot never moves state
  backwards: an ended line is not reopened (``canceled`` is final in Stripe) and an invoice
  status never regresses (draft < open < uncollectible < paid/void); such snapshots are
  counted as duplicates with a warning.

Retention: a ``stripe_event`` row is ~100 bytes and is kept indefinitely for now. Stripe
retries a delivery for up to 3 days and lists events for 30 days (what a manual resend can
reach), so rows received more than ~30 days ago could be purged without weakening either
rule; that purge is a follow-up, not done here.
"""

from app.connectors.stripe.events import MalformedEvent, StripeIgnored, StripeProcessed, handle_event
from app.connectors.stripe.objects import SOURCE, invoice_item, subscription_items
from app.connectors.stripe.signature import InvalidSignature, sign, verify_signature

__all__ = [
    "SOURCE",
    "InvalidSignature",
    "MalformedEvent",
    "StripeIgnored",
    "StripeProcessed",
    "handle_event",
    "invoice_item",
    "sign",
    "subscription_items",
    "verify_signature",
]
