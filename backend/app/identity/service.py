"""Identity resolution: which account does a source's key refer to?

Keys are ``(key_type, key)``: ``external_id`` looks at the account itself (then at
aliases of source ``external_id``, made when someone links an unmatched record by hand);
``subscription`` looks up the subscription line with that source id; every other type
(``domain``, ``stripe``, ``segment``, ``zendesk``, ...) looks up ``account_alias``.
Domains are compared as host names (``https://www.Acme.com/x`` is ``acme.com``). Items whose key resolves to nothing are kept as
unmatched records, listed here and replayed by ingest once a key resolves them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.enums import Kind
from app.core.errors import Conflict, NotFound
from app.core.types import domain
from app.identity import repository
from app.identity.models import AccountAlias
from app.identity.schemas import UnmatchedPage, UnmatchedRecordPublic

EXTERNAL_ID = "external_id"
# Resolves through subscription_line.source_id (any billing source).
SUBSCRIPTION = "subscription"


def normalise(key_type: str, key: str) -> tuple[str, str]:
    key_type = key_type.strip().lower()
    key = key.strip()
    if key_type == "domain":
        try:
            return key_type, domain(key)
        except ValueError:
            return key_type, key.lower()
    return key_type, key


# Alias sources whose key, when no alias exists, names the account with that external id
# (a Segment groupId is normally the account's own id).
EXTERNAL_ID_FALLBACK = frozenset({"segment"})


def keys_naming(external_id: str) -> list[tuple[str, str]]:
    """Every key that resolves to the account with this external id when it has no alias."""
    return [(EXTERNAL_ID, external_id), *((source, external_id) for source in sorted(EXTERNAL_ID_FALLBACK))]


async def resolve(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], uuid.UUID]:
    keys = {normalise(t, k) for t, k in keys}
    external = [k for t, k in keys if t == EXTERNAL_ID]
    subscriptions = [k for t, k in keys if t == SUBSCRIPTION]
    aliases = [(t, k) for t, k in keys if t not in (EXTERNAL_ID, SUBSCRIPTION)]
    found: dict[tuple[str, str], uuid.UUID] = {
        (EXTERNAL_ID, k): v for k, v in (await repository.accounts_by_external_id(session, external)).items()
    }
    # An external id can also be linked by hand to another account (alias source "external_id").
    linked = await repository.accounts_by_alias(session, [(EXTERNAL_ID, k) for k in external])
    for pair, account_id in linked.items():
        found.setdefault(pair, account_id)
    found.update(
        {(SUBSCRIPTION, k): v for k, v in (await repository.accounts_by_subscription(session, subscriptions)).items()}
    )
    for pair, account_id in (
        await repository.accounts_by_alias(session, [(SUBSCRIPTION, k) for k in subscriptions])
    ).items():
        found.setdefault(pair, account_id)
    found.update(await repository.accounts_by_alias(session, aliases))
    fallback = [k for t, k in aliases if t in EXTERNAL_ID_FALLBACK and (t, k) not in found]
    if fallback:
        by_external_id = await repository.accounts_by_external_id(session, fallback)
        found.update(
            {
                (t, k): by_external_id[k]
                for t, k in aliases
                if (t, k) not in found and k in by_external_id and t in EXTERNAL_ID_FALLBACK
            }
        )
    return found


async def aliases_of(session: AsyncSession, account_id: uuid.UUID) -> list[AccountAlias]:
    await _account_or_404(session, account_id)
    return await repository.aliases_of(session, account_id)


async def _account_or_404(session: AsyncSession, account_id: uuid.UUID) -> None:
    if not await repository.account_exists(session, account_id):
        raise NotFound(f"No account with id {account_id}")


async def add_alias(session: AsyncSession, account_id: uuid.UUID, source: str, key: str, actor: str) -> AccountAlias:
    """Point (source, key) at the account (``flows.after_alias_added`` then replays the
    unmatched records it resolves)."""
    await _account_or_404(session, account_id)
    source, key = normalise(source, key)
    owners = await repository.upsert_aliases(session, [{"source": source, "key": key, "account_id": account_id}])
    if owners.get((source, key)) != account_id:
        raise Conflict(f"{source}:{key} already belongs to another account")
    alias = await repository.alias(session, source, key)
    assert alias is not None
    record(session, actor, "alias.create", "account_alias", alias.id, {"source": source, "key": key})
    return alias


async def remove_alias(session: AsyncSession, account_id: uuid.UUID, alias_id: uuid.UUID, actor: str) -> None:
    alias = await repository.alias_by_id(session, alias_id)
    if alias is None or alias.account_id != account_id:
        raise NotFound("No such alias on this account")
    await repository.delete_alias(session, alias)
    record(session, actor, "alias.delete", "account_alias", alias_id, {"source": alias.source, "key": alias.key})


async def link_unmatched(
    session: AsyncSession, record_id: uuid.UUID, account_id: uuid.UUID, actor: str
) -> AccountAlias:
    """Alias the unmatched record's key to the account (then replayed like any new alias).

    A record rejected at an earlier replay waits again, so linking it retries it (after the
    cause was fixed, e.g. exchange rates added for its currency)."""
    unmatched = await repository.unmatched_record(session, record_id)
    if unmatched is None:
        raise NotFound(f"No unmatched record with id {record_id}")
    if unmatched.status == "rejected":
        unmatched.status, unmatched.errors, unmatched.resolved_account_id = "pending", None, None
        await session.flush()
    return await add_alias(session, account_id, unmatched.account_key_type, unmatched.account_key, actor)


async def unmatched_page(
    session: AsyncSession,
    kind: Kind | None,
    statuses: Iterable[str],
    source: str | None,
    page: int,
    page_size: int,
) -> UnmatchedPage:
    records, total = await repository.unmatched_page(session, kind, statuses, source, page, page_size)
    return UnmatchedPage(
        items=[UnmatchedRecordPublic.model_validate(r, from_attributes=True) for r in records],
        total=total,
        page=page,
        page_size=page_size,
    )
