"""The accounts kind: upsert by external id, owners by email, domains and aliases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Account
from app.core.models import utcnow
from app.identity import repository as identity_repository
from app.identity import service as identity
from app.ingest import repository
from app.ingest.schemas import AccountItem, ItemWarning
from app.ingest.writers import Outcome

_FIELDS = (
    "name",
    "segment",
    "icp_tier",
    "plan",
    "industry",
    "region",
    "acquisition_channel",
    "signup_date",
    "onboarding_completed_at",
    "first_value_at",
    "seats_purchased",
    "seat_limit",
    "api_call_limit",
    "contract_start",
    "renewal_date",
)


def _values(item: AccountItem, owners: dict[str, uuid.UUID], out: Outcome, index: int) -> dict[str, Any]:
    provided = item.model_fields_set
    values: dict[str, Any] = {f: getattr(item, f) for f in _FIELDS if f in provided}
    if "domains" in provided:
        values["domains"] = sorted(set(item.domains))
    if "arr" in provided:
        values["declared_arr"] = item.arr
    if "owner_email" in provided:
        owner = owners.get(item.owner_email.lower()) if item.owner_email else None
        if item.owner_email and owner is None:
            out.warnings.append(
                ItemWarning(
                    index=index,
                    id=item.external_id,
                    message=f"owner_email {item.owner_email} is not a Tempo user; owner left unset",
                )
            )
        else:
            values["owner_id"] = owner
    return values


async def write_accounts(
    session: AsyncSession, items: list[tuple[int, AccountItem]]
) -> tuple[Outcome, dict[str, uuid.UUID], list[tuple[str, str]]]:
    """Returns the outcome, the account id per external id, and every key now resolvable."""
    out = Outcome()
    external_ids = [item.external_id for _, item in items]
    existing = await repository.accounts_by_external_id(session, external_ids)
    owners = await repository.users_by_email(session, {i.owner_email for _, i in items if i.owner_email})
    touched: dict[str, Account] = {}
    revised = await repository.accounts_with_revisions(session, [a.id for a in existing.values()])
    revisions: list[dict[str, Any]] = []
    for index, item in items:
        values = _values(item, owners, out, index)
        account = existing.get(item.external_id)
        before = _revision_values(account) if account is not None else None
        if account is None:
            account = Account(external_id=item.external_id, **values)
            session.add(account)
            existing[item.external_id] = account
            out.accepted += 1
        elif any(getattr(account, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(account, k, v)
            account.updated_at = utcnow()
            out.updated += 1
        else:
            out.duplicates += 1
        touched[item.external_id] = account
        after = _revision_values(account)
        if after != before and any(v is not None for v in after.values()):
            revisions.append({"account": account, "before": before, "after": after, "item": item})
    await session.flush()
    await repository.add_revisions(session, _revision_rows(revisions, revised))
    await _apply_declared_arr(session, list(touched.values()))

    keys: list[tuple[str, str]] = [k for e in touched for k in identity.keys_naming(e)]
    alias_rows: list[dict[str, Any]] = []
    for index, item in items:
        account = touched[item.external_id]
        wanted = [("domain", d) for d in account.domains] + [(a.source.strip().lower(), a.key) for a in item.aliases]
        alias_rows += [
            {"source": s, "key": k, "account_id": account.id, "_index": index, "_ext": item.external_id}
            for s, k in wanted
        ]
    owners_of = await identity_repository.upsert_aliases(
        session, [{k: v for k, v in r.items() if not k.startswith("_")} for r in alias_rows]
    )
    for row in alias_rows:
        pair = (str(row["source"]), str(row["key"]))
        if owners_of.get(pair) == row["account_id"]:
            keys.append(pair)
        else:
            out.warnings.append(
                ItemWarning(
                    index=row["_index"],
                    id=row["_ext"],
                    message=(f"alias {row['source']}:{row['key']} already belongs to another account; not moved"),
                )
            )
    for account in touched.values():
        out.touch(account.id, utcnow().date())
    return out, {e: a.id for e, a in touched.items()}, keys


REVISED = ("plan", "seats_purchased", "seat_limit", "api_call_limit")


def _revision_values(account: Account) -> dict[str, Any]:
    return {f: getattr(account, f) for f in REVISED}


def _revision_rows(changes: list[dict[str, Any]], revised: set[uuid.UUID]) -> list[dict[str, Any]]:
    """Revisions of plan and limits: a new account's values hold from the start; a change holds
    from its ``changed_at`` (default today), and an account's first change also records what
    it had before, from the start."""
    rows: list[dict[str, Any]] = []
    for change in changes:
        account, item = change["account"], change["item"]
        if change["before"] is None or (account.id not in revised and not any(change["before"].values())):
            rows.append({"account_id": account.id, "valid_from": date.min, **change["after"]})
            continue
        if account.id not in revised:
            rows.append({"account_id": account.id, "valid_from": date.min, **change["before"]})
        since = (item.changed_at or utcnow()).date()
        rows.append({"account_id": account.id, "valid_from": since, **change["after"]})
    return rows


async def _apply_declared_arr(session: AsyncSession, accounts: list[Account]) -> None:
    """Declared ARR stands in for current ARR only while an account has no subscription lines."""
    declared = [a for a in accounts if a.declared_arr is not None]
    if not declared:
        return
    with_lines = await repository.accounts_with_subscription_lines(session, [a.id for a in declared])
    for account in declared:
        if account.id not in with_lines and account.current_arr != account.declared_arr:
            assert account.declared_arr is not None
            account.current_arr = account.declared_arr
    await session.flush()
