"""Segment-compatible tracking API: write-key auth and ``track``/``identify``/``group`` messages.

Owns the Segment wire format, the write-key check and the user-to-group bindings; ``track``
messages become ``events`` ingest items (source ``segment``) and go through
``app.ingest.service.ingest`` like any other events.

Auth: HTTP Basic with the write key as the username (password ignored, normally empty),
which is what Segment and RudderStack webhook destinations send.

Identity:
- A user is ``userId``, else ``anonymousId``. Raw ids are never stored: bindings are keyed
  by ``user_hash(id)`` and events carry the pseudonym ``str(user_hash(id))`` as their
  ``user_id`` (ingest hashes it once more when writing the event), so even an event waiting
  as an unmatched record holds no raw id. Consequence: a person sent both here and through
  ``/api/v1/ingest/events`` with the raw id counts as two users.
- ``group`` (and ``identify`` carrying ``traits.groupId`` or ``traits.company.id``) binds
  the user -- ``userId`` and ``anonymousId`` both, when both are present -- to the group id
  in ``segment_user_binding``; the message with the newest timestamp wins.
- A group id names an account: the alias ``segment:<groupId>`` when one exists, else the
  account with external id ``<groupId>``; when neither exists yet, events wait as unmatched
  records under ``external_id=<groupId>`` and are replayed when that account is created.
- ``track`` uses ``context.groupId``, else the user's bound group (the ``userId``'s binding,
  then the ``anonymousId``'s). With no group at all the event waits as an unmatched record
  keyed ``segment_user=<pseudonym>``; the user's next ``group`` call re-keys those waiting
  events to the group and replays them.

Messages: ``track`` -> event (id = ``messageId``, so re-sends are duplicates; timestamp =
``timestamp``, else ``originalTimestamp``, ``receivedAt``, ``sentAt``, else now; feature =
``properties.feature``). ``identify`` without a group, ``page``, ``screen`` and ``alias``
are acknowledged and ignored. A ``batch`` binds its groups before it resolves its tracks.
"""

from __future__ import annotations

import binascii
import hmac
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from app.connectors import repository
from app.connectors.common import merge, rejection, remap
from app.core.config import get_settings
from app.core.errors import ProblemError, ServiceUnavailable
from app.core.models import utcnow
from app.identity import repository as identity_repository
from app.identity import service as identity
from app.identity.service import EXTERNAL_ID
from app.ingest.schemas import IngestResult, Kind, Timestamp
from app.ingest.service import ingest, replay_for_keys
from app.ingest.writers import user_hash

SOURCE = "segment"
# Alias source that maps a Segment groupId to an account (``aliases: [{source: "segment", key}]``).
GROUP_ALIAS = "segment"
# Key type of events that name a user but no group yet; the key is the user's pseudonym.
USER_KEY_TYPE = "segment_user"
MAX_GROUP_ID = 300
_TIMESTAMP: TypeAdapter[datetime] = TypeAdapter(Timestamp)


class SegmentUnauthorized(ProblemError):
    status = 401
    title = "Not authenticated"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Basic realm="segment"'})


class SegmentWriteKey(HTTPBasic):
    """HTTP Basic whose username is the write key; answers 401 without it, 503 when unconfigured."""

    async def __call__(self, request: HTTPConnection) -> HTTPBasicCredentials:  # type: ignore[override]
        scheme, _, param = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            raise SegmentUnauthorized("Send HTTP Basic auth with the Segment write key as the username")
        expected = get_settings().segment_write_key
        if not expected:
            raise ServiceUnavailable("Segment ingestion is not configured (TEMPO_SEGMENT_WRITE_KEY)")
        try:
            username, _, password = b64decode(param.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise SegmentUnauthorized("The Authorization header is not valid HTTP Basic credentials") from exc
        if not hmac.compare_digest(username.encode(), expected.encode()):
            raise SegmentUnauthorized("The write key is not valid")
        return HTTPBasicCredentials(username=username, password=password)


write_key = SegmentWriteKey(
    scheme_name="SegmentWriteKey", realm="segment", description="The Segment write key as the Basic username"
)


class SegmentResult(IngestResult):
    success: bool = True
    received: dict[str, int] = Field(default_factory=dict, description="Messages received per type")
    bound: int = Field(0, description="User-to-group bindings created or moved")


def pseudonym(user_id: str) -> str:
    """What stands for a Segment user outside the hash: the keyed hash as text."""
    return str(user_hash(user_id))


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _users(message: dict[str, Any]) -> list[str]:
    """The message's user ids, ``userId`` first."""
    return [u for u in (_text(message.get("userId")), _text(message.get("anonymousId"))) if u is not None]


def _when(message: dict[str, Any]) -> Any:
    for name in ("timestamp", "originalTimestamp", "receivedAt", "sentAt"):
        if message.get(name) not in (None, ""):
            return message[name]
    return utcnow().isoformat()


@dataclass(frozen=True)
class _Binding:
    group: str
    at: datetime
    index: int


class _Messages:
    """One request's messages, sorted into bindings and tracks."""

    def __init__(self) -> None:
        self.result = SegmentResult()
        self.bindings: dict[int, _Binding] = {}
        self.tracks: list[tuple[int, dict[str, Any]]] = []

    def reject(self, index: int, message: Any, loc: list[str | int], msg: str) -> None:
        message_id = _text(message.get("messageId")) if isinstance(message, dict) else None
        self.result.rejected.append(rejection(index, message_id, loc, msg))

    def read(self, messages: list[Any], forced_type: str | None) -> None:
        for index, message in enumerate(messages):
            if not isinstance(message, dict):
                self.reject(index, message, [], "each message must be a JSON object")
                continue
            kind = forced_type or _text(message.get("type"))
            if kind is None:
                self.reject(index, message, ["type"], "type is required for each message in a batch")
                continue
            kind = kind.lower()
            self.result.received[kind] = self.result.received.get(kind, 0) + 1
            if kind == "track":
                self.tracks.append((index, message))
            elif kind == "group":
                self.bind(index, message, message.get("groupId"), ["groupId"])
            elif kind == "identify":
                traits = _dict(message.get("traits"))
                if traits.get("groupId") not in (None, ""):
                    self.bind(index, message, traits["groupId"], ["traits", "groupId"])
                elif _dict(traits.get("company")).get("id") not in (None, ""):
                    self.bind(index, message, traits["company"]["id"], ["traits", "company", "id"])

    def bind(self, index: int, message: dict[str, Any], raw_group: Any, loc: list[str | int]) -> None:
        users = _users(message)
        group = _text(raw_group)
        if not users:
            return self.reject(index, message, ["userId"], "userId or anonymousId is required")
        if group is None or len(group) > MAX_GROUP_ID:
            return self.reject(index, message, loc, f"the group id must be 1 to {MAX_GROUP_ID} characters")
        try:
            at = _TIMESTAMP.validate_python(_when(message))
        except ValidationError:
            return self.reject(index, message, ["timestamp"], "the timestamp is not an ISO-8601 date-time")
        for user in users:
            binding = _Binding(group, at, index)
            current = self.bindings.get(user_hash(user))
            if current is None or (binding.at, binding.index) >= (current.at, current.index):
                self.bindings[user_hash(user)] = binding


def _account_key(group: str, found: dict[tuple[str, str], Any]) -> tuple[str, str]:
    """``segment:<group>`` when that alias exists, else the external id ``<group>``."""
    alias = identity.normalise(GROUP_ALIAS, group)
    return alias if alias in found else identity.normalise(EXTERNAL_ID, group)


async def process(session: AsyncSession, messages: list[Any], forced_type: str | None = None) -> SegmentResult:
    """Bind groups, replay events that waited for them, then ingest the tracks."""
    batch = _Messages()
    batch.read(messages, forced_type)
    result = batch.result

    moved = await repository.upsert_bindings(session, [(h, b.group, b.at) for h, b in sorted(batch.bindings.items())])
    result.bound = len(moved)

    tracks: list[tuple[int, dict[str, Any], list[str], str | None]] = []
    for index, message in batch.tracks:
        users = _users(message)
        if not users:
            batch.reject(index, message, ["userId"], "userId or anonymousId is required")
        elif _text(message.get("messageId")) is None:
            batch.reject(index, message, ["messageId"], "messageId is required (it makes re-sends idempotent)")
        else:
            tracks.append((index, message, users, _text(_dict(message.get("context")).get("groupId"))))
    ungrouped = [user_hash(u) for _, _, users, group in tracks if group is None for u in users]
    bound = await repository.bound_groups(session, ungrouped)

    groups = set(moved.values()) | {g for _, _, _, g in tracks if g} | set(bound.values())
    found = await identity.resolve(
        session, {k for g in groups for k in (identity.normalise(GROUP_ALIAS, g), identity.normalise(EXTERNAL_ID, g))}
    )

    waiting = {str(h): _account_key(g, found) for h, g in moved.items()}
    rekeyed = await identity_repository.rekey_waiting_events(session, USER_KEY_TYPE, waiting) if waiting else set()
    if resolvable := [key for key in rekeyed if key in found]:
        result.replayed += await replay_for_keys(session, resolvable, source=SOURCE)

    items: list[dict[str, Any]] = []
    positions: list[int] = []
    for index, message, users, group in tracks:
        group = group or next((bound[user_hash(u)] for u in users if user_hash(u) in bound), None)
        key_type, key = _account_key(group, found) if group else (USER_KEY_TYPE, pseudonym(users[0]))
        properties = message.get("properties")
        feature = _dict(properties).get("feature")
        item: dict[str, Any] = {
            "id": _text(message.get("messageId")),
            "account": key,
            "account_key_type": key_type,
            "user_id": pseudonym(users[0]),
            "event": message.get("event"),
            "timestamp": _when(message),
        }
        if properties is not None:
            item["properties"] = properties
        if isinstance(feature, str) and feature.strip():
            item["feature"] = feature
        items.append(item)
        positions.append(index)
    if items:
        merge(result, remap(await ingest(session, Kind.events, items, source=SOURCE), positions))
    result.rejected = sorted(result.rejected, key=lambda r: r.index)
    return result
