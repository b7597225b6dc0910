"""The Segment wire protocol: write keys, error bodies, and reading messages.

Auth: the write key as the HTTP Basic username (Segment's and RudderStack's server
libraries, webhook destinations), or as ``writeKey`` in the body (analytics.js and
Segment's Python library send it there too). A wrong key is 401 either way.

Errors under ``/segment/`` are ``{"success": false, "code", "message"}`` -- the body
Segment's libraries read (RudderStack's Python SDK fails on anything else and retries a
permanent error as if the network had failed). Statuses keep their meaning: 400/401/413/
415/422 are permanent, 429/5xx are worth retrying.

Messages (https://segment.com/docs/connections/spec/):
- ``track`` -> an event (``event``; ``properties.feature`` names the feature).
- ``page``/``screen`` -> an event named ``Viewed <name> Page``/``Screen`` (``Loaded a
  Page``/``Screen`` without a name), as Segment's own destinations name them.
- ``identify`` -> binds the user to ``traits.groupId``/``traits.company.id`` if given, and
  a known user (``userId``) with an email or name becomes a **contact** of the user's
  account (id = the user's pseudonym, never the raw id). Traits are read from ``traits``,
  else ``context.traits`` (where RudderStack's SDKs put them).
- ``group`` -> binds the user to ``groupId``; with ``TEMPO_SEGMENT_GROUP_ACCOUNTS`` its
  traits (name, plan, industry, website) create or update the account.
- ``alias`` -> ``previousId`` and ``userId`` are one person: whichever is bound to a group
  binds the other.
- Durations: ``properties.duration_seconds``, ``properties.duration`` (seconds) or
  ``properties.duration_ms``; without one an event adds no time (time in product stays
  unknown, not zero).
- A message without ``messageId`` gets one derived from its content, so a re-send of the
  same message is still a duplicate.
- Time: ``timestamp``, else ``originalTimestamp``, ``receivedAt``, ``sentAt``, else now (the
  first that is given is the one read; Tempo does not apply Segment's clock-skew correction
  ``receivedAt - (sentAt - originalTimestamp)``, so ``sentAt`` only counts when nothing
  else is given). It must be an ISO-8601 date-time from 1970-01-01 to 10 years after today
  (``app.core.types.signal_range``, as every ingested time). Otherwise the message alone
  is rejected (its batch neighbours are not), ``loc`` and message naming the field read:
  "the timestamp must be from 1970-01-01 to 2036-12-05 (10 years from today)" (the end
  moves with today) for a date-time out of that range, "the timestamp is not an ISO-8601
  date-time" for anything that is not one.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import hmac
import json
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from starlette.requests import HTTPConnection

from app.connectors.common import rejection, warning
from app.core.config import get_settings
from app.core.errors import FieldError, ProblemError, ServiceUnavailable
from app.core.models import utcnow
from app.core.types import UNSTORABLE, domain, signal_datetime, signal_range, storable, unstorable
from app.ingest.schemas import IngestResult, Timestamp
from app.ingest.writers import user_hash

SOURCE = "segment"
# Alias source that maps a Segment groupId to an account (``aliases: [{source: "segment", key}]``);
# without such an alias, the account whose external id is the groupId.
GROUP_ALIAS = "segment"
# Key type of items that name a user but no group yet; the key is the user's pseudonym.
USER_KEY_TYPE = "segment_user"
MAX_GROUP_ID = 300
MAX_DURATION_SECONDS = 86_400
TYPES = ("track", "identify", "group", "page", "screen", "alias")
_TIMESTAMP: TypeAdapter[datetime] = TypeAdapter(Timestamp)
_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)

# -- auth and errors ------------------------------------------------------------------


class SegmentUnauthorized(ProblemError):
    status = 401
    title = "Not authenticated"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Basic realm="segment"'})


def _configured_key() -> str:
    expected = get_settings().segment_write_key
    if not expected:
        raise ServiceUnavailable("Segment ingestion is not configured (TEMPO_SEGMENT_WRITE_KEY)")
    return expected


class SegmentWriteKey(HTTPBasic):
    """HTTP Basic whose username is the write key; without the header the body's
    ``writeKey`` must carry it (``check_write_key``). A caller with no key at all is 401;
    one with a key is 503 while Tempo has none configured."""

    async def __call__(self, request: HTTPConnection) -> HTTPBasicCredentials | None:  # type: ignore[override]
        header = request.headers.get("Authorization")
        if not header:
            return None
        expected = _configured_key()
        scheme, _, param = header.partition(" ")
        if scheme.lower() != "basic":
            raise SegmentUnauthorized("Send HTTP Basic auth with the Segment write key as the username")
        try:
            username, _, password = b64decode(param.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise SegmentUnauthorized("The Authorization header is not valid HTTP Basic credentials") from exc
        if not hmac.compare_digest(username.encode(), expected.encode()):
            raise SegmentUnauthorized("The write key is not valid")
        return HTTPBasicCredentials(username=username, password=password)


write_key = SegmentWriteKey(
    scheme_name="SegmentWriteKey",
    realm="segment",
    description="The Segment write key as the Basic username (or `writeKey` in the body)",
    auto_error=False,
)


def check_write_key(credentials: HTTPBasicCredentials | None, payload: dict[str, Any]) -> None:
    """Without Basic auth, the body's ``writeKey`` must be the configured key."""
    if credentials is not None:
        return
    given = payload.get("writeKey")
    if not isinstance(given, str) or not given:
        raise SegmentUnauthorized("Send the write key as the HTTP Basic username or as writeKey in the body")
    if not hmac.compare_digest(given.encode(), _configured_key().encode()):
        raise SegmentUnauthorized("The write key is not valid")


class SegmentError(BaseModel):
    """The error body of Segment's tracking API."""

    success: bool = False
    code: str = Field(description="invalid_request, unauthorized, payload_too_large, unavailable, ...")
    message: str
    errors: list[FieldError] | None = None


_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "unavailable",
}


def error_response(
    status: int,
    title: str,
    detail: str | None,
    errors: list[FieldError] | None,
    headers: dict[str, str] | None,
) -> JSONResponse:
    """Segment's error body: what its libraries (and RudderStack's) parse."""
    body = SegmentError(
        code=_CODES.get(status, "server_error" if status >= 500 else "invalid_request"),
        message=detail or title,
        errors=errors or None,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


class SegmentResult(IngestResult):
    success: bool = True
    received: dict[str, int] = Field(default_factory=dict, description="Messages received per type")
    bound: int = Field(0, description="User-to-group bindings created or moved")


# -- reading messages -------------------------------------------------------------------


def pseudonym(user_id: str) -> str:
    """What stands for a Segment user outside the hash: the keyed hash as text."""
    return str(user_hash(user_id))


def text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def users(message: dict[str, Any]) -> list[str]:
    """The message's user ids, ``userId`` first."""
    return [u for u in (text(message.get("userId")), text(message.get("anonymousId"))) if u is not None]


def time_field(message: dict[str, Any]) -> tuple[str, Any]:
    """The message's time and the field it comes from: the first of ``timestamp``,
    ``originalTimestamp``, ``receivedAt``, ``sentAt`` that is given, else now."""
    for name in ("timestamp", "originalTimestamp", "receivedAt", "sentAt"):
        if message.get(name) not in (None, ""):
            return name, message[name]
    return "timestamp", utcnow().isoformat()


def when(message: dict[str, Any]) -> Any:
    return time_field(message)[1]


def read_time(message: dict[str, Any]) -> tuple[datetime | None, str, str | None]:
    """(the message's time in UTC, its field, None), or (None, its field, why it cannot be read)."""
    name, value = time_field(message)
    try:
        parsed = _DATETIME.validate_python(value)
    except ValidationError:
        return None, name, f"the {name} is not an ISO-8601 date-time"
    try:
        signal_datetime(parsed)
        return _TIMESTAMP.validate_python(value), name, None
    except (ValueError, ValidationError):  # ValidationError is a ValueError
        return None, name, f"the {name} must be {signal_range()}"


def message_id(message: dict[str, Any]) -> str:
    """``messageId``, else one derived from the message, so identical re-sends stay duplicates."""
    given = text(message.get("messageId"))
    if given is not None:
        return given
    canonical = json.dumps(message, sort_keys=True, default=str, separators=(",", ":"))
    return "tempo-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def duration(properties: dict[str, Any]) -> tuple[float | None, str | None]:
    """Seconds from the properties, and a warning when a value is there but unusable."""
    for name, scale in (("duration_seconds", 1.0), ("duration", 1.0), ("duration_ms", 0.001)):
        value = properties.get(name)
        if value is None or value == "":
            continue
        try:
            seconds = float(value) * scale
        except (TypeError, ValueError):
            return None, f"properties.{name} is not a number; no time recorded"
        if not 0 <= seconds <= MAX_DURATION_SECONDS:
            return None, f"properties.{name} is outside 0 to 24 hours; no time recorded"
        return seconds, None
    return None, None


def _event_name(kind: str, message: dict[str, Any]) -> str | None:
    if kind == "track":
        return text(message.get("event"))
    name = text(message.get("name")) or text(obj(message.get("properties")).get("name"))
    noun = "Page" if kind == "page" else "Screen"
    return f"Viewed {name} {noun}" if name else f"Loaded a {noun}"


@dataclass(frozen=True)
class Binding:
    group: str
    at: datetime
    index: int


@dataclass
class Usage:
    """A track, page or screen call, ready to become an event."""

    index: int
    message: dict[str, Any]
    id: str
    event: str
    users: list[str]
    group: str | None


@dataclass
class Person:
    """An identify call of a known user: a contact."""

    index: int
    id: str
    user: str
    group: str | None
    traits: dict[str, Any]


@dataclass
class Messages:
    """One request's messages, sorted by what they do."""

    result: SegmentResult = field(default_factory=SegmentResult)
    bindings: dict[int, Binding] = field(default_factory=dict)
    usage: list[Usage] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    groups: dict[str, tuple[datetime, int, dict[str, Any]]] = field(default_factory=dict)
    aliases: list[tuple[str, str, datetime, int]] = field(default_factory=list)
    own_rejections: int = 0

    def reject(self, index: int, item_id: str | None, loc: list[str | int], msg: str) -> None:
        self.result.rejected.append(rejection(index, item_id, loc, msg))
        self.own_rejections += 1

    def read(self, messages: list[Any], forced_type: str | None, shared_context: dict[str, Any]) -> None:
        for index, message in enumerate(messages):
            if not isinstance(message, dict):
                self.reject(index, None, [], "each message must be a JSON object")
                continue
            if (where := unstorable(message)) is not None:
                self.reject(index, storable(str(message.get("messageId", ""))) or None, list(where), UNSTORABLE)
                continue
            if shared_context:  # a batch's top-level context applies to each message
                message = {**message, "context": {**shared_context, **obj(message.get("context"))}}
            kind = (forced_type or text(message.get("type")) or "").lower()
            if kind not in TYPES:
                msg = "type is required for each message in a batch" if not kind else f"unknown type '{kind}'"
                self.reject(
                    index, text(message.get("messageId")), ["type"], f"{msg}; expected one of {', '.join(TYPES)}"
                )
                continue
            self.result.received[kind] = self.result.received.get(kind, 0) + 1
            self._read_one(index, kind, message)

    def _read_one(self, index: int, kind: str, message: dict[str, Any]) -> None:
        ids = message_id(message)
        people = users(message)
        if kind in ("track", "page", "screen"):
            event = _event_name(kind, message)
            if not people:
                return self.reject(index, ids, ["userId"], "userId or anonymousId is required")
            if event is None:
                return self.reject(index, ids, ["event"], "event is required for a track call")
            if self._timestamp(index, ids, message) is None:
                return None
            group = text(obj(message.get("context")).get("groupId"))
            self.usage.append(Usage(index, message, ids, event, people, group))
        elif kind == "group":
            at = self._bind(index, ids, message, message.get("groupId"), ["groupId"])
            group = text(message.get("groupId"))
            if at is not None and group is not None:
                current = self.groups.get(group)
                if current is None or (at, index) >= current[:2]:
                    self.groups[group] = (at, index, obj(message.get("traits")))
        elif kind == "identify":
            # RudderStack's SDKs put identify traits in context.traits, Segment's at the root
            traits = obj(message.get("traits")) or obj(obj(message.get("context")).get("traits"))
            group_id = traits.get("groupId") if traits.get("groupId") not in (None, "") else None
            loc: list[str | int] = ["traits", "groupId"]
            if group_id is None and obj(traits.get("company")).get("id") not in (None, ""):
                group_id, loc = traits["company"]["id"], ["traits", "company", "id"]
            if group_id is not None and self._bind(index, ids, message, group_id, loc) is None:
                return
            user = text(message.get("userId"))
            if user is not None and (text(traits.get("email")) or _name(traits)):
                self.people.append(Person(index, ids, user, text(group_id), traits))
        elif kind == "alias":
            previous, user = text(message.get("previousId")), text(message.get("userId"))
            if previous is None or user is None:
                return self.reject(index, ids, ["previousId"], "alias needs previousId and userId")
            at = self._timestamp(index, ids, message)
            if at is not None:
                self.aliases.append((previous, user, at, index))

    def _timestamp(self, index: int, ids: str, message: dict[str, Any]) -> datetime | None:
        at, name, problem = read_time(message)
        if problem is not None:
            self.reject(index, ids, [name], problem)
        return at

    def _bind(
        self, index: int, ids: str, message: dict[str, Any], raw_group: Any, loc: list[str | int]
    ) -> datetime | None:
        people = users(message)
        group = text(raw_group)
        if not people:
            self.reject(index, ids, ["userId"], "userId or anonymousId is required")
            return None
        if group is None or len(group) > MAX_GROUP_ID:
            self.reject(index, ids, loc, f"the group id must be 1 to {MAX_GROUP_ID} characters")
            return None
        at = self._timestamp(index, ids, message)
        if at is not None:
            for user in people:
                self.bind(user_hash(user), Binding(group, at, index))
        return at

    def bind(self, hashed: int, binding: Binding) -> None:
        current = self.bindings.get(hashed)
        if current is None or (binding.at, binding.index) >= (current.at, current.index):
            self.bindings[hashed] = binding


def _name(traits: dict[str, Any]) -> str | None:
    full = text(traits.get("name"))
    if full:
        return full
    parts = [
        text(traits.get("firstName")) or text(traits.get("first_name")),
        text(traits.get("lastName")) or text(traits.get("last_name")),
    ]
    joined = " ".join(p for p in parts if p)
    return joined or None


def contact_item(person: Person, key: tuple[str, str]) -> dict[str, Any]:
    traits = person.traits
    item: dict[str, Any] = {"id": pseudonym(person.user), "account_key_type": key[0], "account": key[1]}
    for target, value in (
        ("name", _name(traits)),
        ("email", text(traits.get("email"))),
        ("title", text(traits.get("title"))),
    ):
        if value is not None:
            item[target] = value
    return item


def event_item(usage: Usage, key: tuple[str, str], result: SegmentResult) -> dict[str, Any]:
    properties = usage.message.get("properties")
    props = obj(properties)
    item: dict[str, Any] = {
        "id": usage.id,
        "account": key[1],
        "account_key_type": key[0],
        "user_id": pseudonym(usage.users[0]),
        "event": usage.event,
        "timestamp": when(usage.message),
    }
    if isinstance(properties, dict):
        item["properties"] = properties
    feature = props.get("feature")
    if isinstance(feature, str) and feature.strip():
        item["feature"] = feature
    seconds, problem = duration(props)
    if seconds is not None:
        item["duration_seconds"] = seconds
    if problem is not None:
        result.warnings.append(warning(usage.index, usage.id, problem))
    return item


def account_item(group: str, traits: dict[str, Any], existing: tuple[str, str] | None) -> dict[str, Any]:
    """A group's traits as an accounts item: the existing account's external id, else the groupId."""
    external_id, name = existing if existing else (group, group)
    item: dict[str, Any] = {"external_id": external_id, "name": text(traits.get("name")) or name}
    for target, source in (("plan", "plan"), ("industry", "industry")):
        if text(traits.get(source)):
            item[target] = text(traits.get(source))
    if existing is None:  # a new account's domain; an existing one keeps the domains it has
        with contextlib.suppress(ValueError):
            item["domains"] = [domain(text(traits.get("website")) or "")]
    return item
