"""Segment messages into Tempo: bind users to groups, then store events and contacts.

Identity:
- A user is ``userId``, else ``anonymousId``. Raw ids are never stored: bindings are keyed
  by ``user_hash(id)`` and items carry the pseudonym ``str(user_hash(id))`` as their
  user or contact id (ingest hashes event users once more), so even an item waiting as an
  unmatched record holds no raw id. Consequence: a person sent both here and through
  ``/api/v1/ingest/events`` with the raw id counts as two users.
- ``group`` (and ``identify`` carrying ``traits.groupId`` or ``traits.company.id``) binds
  the user -- ``userId`` and ``anonymousId`` both, when both are present -- to the group id
  in ``segment_user_binding``; the message with the newest timestamp wins.
- A group id is the account key ``segment:<groupId>``: the alias when one exists, else the
  account whose external id is the groupId (``identity.EXTERNAL_ID_FALLBACK``). Items for
  a group no account answers to wait as unmatched records under that key, and are replayed
  when the alias is added or an account with that external id is created.
- An event or contact uses ``context.groupId`` (contacts: the identify's own group), else
  the user's bound group (the ``userId``'s binding, then the ``anonymousId``'s). With no
  group at all it waits keyed ``segment_user=<pseudonym>``; the user's next ``group`` call
  re-keys those waiting items to the group and replays them.

A batch binds its groups (and creates accounts from group traits, when enabled) before it
resolves its events. Everything refused is recorded for the Sources view.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.connectors import repository
from app.connectors.common import merge, remap
from app.connectors.segment.wire import (
    GROUP_ALIAS,
    SOURCE,
    USER_KEY_TYPE,
    Binding,
    Messages,
    SegmentResult,
    account_item,
    contact_item,
    event_item,
    pseudonym,
)
from app.core.config import get_settings
from app.identity import repository as identity_repository
from app.identity import service as identity
from app.ingest.schemas import Kind
from app.ingest.service import ingest, record_rejections, replay_for_keys
from app.ingest.writers import user_hash


def _key(group: str) -> tuple[str, str]:
    return identity.normalise(GROUP_ALIAS, group)


async def _follow_aliases(session: AsyncSession, batch: Messages) -> None:
    """``alias``: whichever of previousId/userId has a group binds the other to it."""
    if not batch.aliases:
        return
    hashes = {user_hash(u) for previous, user, _, _ in batch.aliases for u in (previous, user)}
    stored = await repository.bound_groups(session, hashes)
    for previous, user, at, index in batch.aliases:
        pair = (user_hash(previous), user_hash(user))
        for source, target in (pair, pair[::-1]):
            binding = batch.bindings.get(source)
            group = (binding.group if binding is not None else None) or stored.get(source)
            if group and target not in batch.bindings and target not in stored:
                batch.bind(target, Binding(group, at, index))


async def _accounts_from_groups(session: AsyncSession, batch: Messages, result: SegmentResult) -> None:
    """Group traits create or update accounts (``TEMPO_SEGMENT_GROUP_ACCOUNTS``)."""
    if not batch.groups or not get_settings().segment_group_accounts:
        return
    found = await identity.resolve(session, {_key(g) for g in batch.groups})
    existing = await accounts.names(session, [a for a in found.values()])
    items, positions = [], []
    for group, (_, index, traits) in sorted(batch.groups.items(), key=lambda g: g[1][1]):
        account_id = found.get(_key(group))
        items.append(account_item(group, traits, existing.get(account_id) if account_id else None))
        positions.append(index)
    merge(result, remap(await ingest(session, Kind.accounts, items, source=SOURCE), positions))


async def process(
    session: AsyncSession, messages: list[Any], forced_type: str | None = None, context: dict[str, Any] | None = None
) -> SegmentResult:
    """Bind groups, replay what waited for them, then ingest events and contacts."""
    batch = Messages()
    batch.read(messages, forced_type, context or {})
    result = batch.result
    if batch.own_rejections:
        await record_rejections(session, SOURCE, None, list(result.rejected))

    await _follow_aliases(session, batch)
    moved = await repository.upsert_bindings(session, [(h, b.group, b.at) for h, b in sorted(batch.bindings.items())])
    result.bound = len(moved)
    await _accounts_from_groups(session, batch, result)

    ungrouped = [user_hash(u) for usage in batch.usage if usage.group is None for u in usage.users]
    ungrouped += [user_hash(p.user) for p in batch.people if p.group is None]
    bound = await repository.bound_groups(session, ungrouped)

    # items that waited for these users' groups now name the group, and replay if it resolves
    waiting = {str(h): _key(g) for h, g in moved.items()}
    if waiting:
        rekeyed = await identity_repository.rekey_waiting_events(
            session, USER_KEY_TYPE, waiting, kinds=(Kind.events.value, Kind.contacts.value)
        )
        found = await identity.resolve(session, rekeyed)
        if resolvable := [key for key in rekeyed if key in found]:
            replay = await replay_for_keys(session, resolvable, source=SOURCE)
            result.replayed += replay.replayed
            result.replay_rejected += replay.replay_rejected

    def key_of(group: str | None, people: list[str]) -> tuple[str, str]:
        group = group or next((g for u in people if (g := bound.get(user_hash(u))) is not None), None)
        return _key(group) if group else (USER_KEY_TYPE, pseudonym(people[0]))

    events = [event_item(u, key_of(u.group, u.users), result) for u in batch.usage]
    if events:
        outcome = await ingest(session, Kind.events, events, source=SOURCE)
        merge(result, remap(outcome, [u.index for u in batch.usage]))
    contacts = [contact_item(p, key_of(p.group, [p.user])) for p in batch.people]
    if contacts:
        outcome = await ingest(session, Kind.contacts, contacts, source=SOURCE)
        merge(result, remap(outcome, [p.index for p in batch.people]))
    result.rejected = sorted(result.rejected, key=lambda r: r.index)
    return result
