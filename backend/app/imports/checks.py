"""Validate each row's item before ingest, so one bad optional cell does not cost the row.

An item that fails only on optional fields is kept without them: each left-out value
becomes a warning naming the field, the cell and why (a bad domain among several drops
just that domain). A missing or bad required field, or a rule across fields (a
subscription needs exactly one price), rejects the row with every error found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import ValidationError

from app.imports.values import hint
from app.ingest.schemas import ITEM_MODELS, ItemError, Kind


@dataclass
class Checked:
    item: dict[str, Any]  # what goes to ingest: bad optional values left out
    model: Any | None  # the validated item; None when the row is rejected
    errors: list[ItemError] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (field, message)


@cache
def _optional(kind: Kind) -> frozenset[str]:
    return frozenset(n for n, f in ITEM_MODELS[kind].model_fields.items() if not f.is_required())


def _message(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _validate(kind: Kind, item: dict[str, Any]) -> tuple[Any | None, list[ItemError]]:
    try:
        return ITEM_MODELS[kind].model_validate(item), []
    except ValidationError as exc:
        return None, [ItemError(loc=list(e["loc"]), msg=_message(e["msg"])) for e in exc.errors(include_url=False)]
    except (TypeError, ValueError) as exc:  # a validator tripped on an unexpected shape
        return None, [ItemError(loc=[], msg=f"invalid item: {exc}")]


def _positions(errors: list[ItemError]) -> set[int] | None:
    """The list positions the errors point at, or None when an error is about the whole field."""
    if not all(len(e.loc) > 1 and isinstance(e.loc[1], int) for e in errors):
        return None
    return {int(e.loc[1]) for e in errors}


def _leave_out(
    kind: Kind, item: dict[str, Any], name: str, errors: list[ItemError], source: tuple[str, str] | None
) -> str:
    """Remove the bad value (or the bad list entries) from ``item``; returns the warning."""
    value = item[name]
    positions = _positions(errors) if isinstance(value, list) else None
    advice = hint(kind, name, str(value))
    why = "; ".join([*dict.fromkeys(e.msg for e in errors), *([advice] if advice else [])])
    where = f' (column "{source[0]}")' if source else ""
    if positions is not None:
        bad = [str(value[i]) for i in sorted(positions) if i < len(value)]
        kept = [v for i, v in enumerate(value) if i not in positions]
        if kept:
            item[name] = kept
        else:
            del item[name]
        shown = ", ".join(f'"{b}"' for b in bad)
        return f"{name}: {shown}{where} left out: {why}"
    del item[name]
    shown = source[1] if source else str(value)
    return f'{name}: "{shown}"{where} left out: {why}'


def check(kind: Kind, item: dict[str, Any], sources: dict[str, tuple[str, str]]) -> Checked:
    """``sources``: field -> (column, cell text), for the warnings."""
    model, errors = _validate(kind, item)
    if model is not None:
        return Checked(item, model)
    optional = _optional(kind)
    if not all(e.loc and e.loc[0] in optional and e.loc[0] in item for e in errors):
        return Checked(item, None, errors)
    kept = dict(item)
    by_field: dict[str, list[ItemError]] = {}
    for error in errors:
        by_field.setdefault(str(error.loc[0]), []).append(error)
    warnings = [(name, _leave_out(kind, kept, name, errs, sources.get(name))) for name, errs in by_field.items()]
    model, again = _validate(kind, kept)
    if model is None:
        return Checked(item, None, errors + again)
    return Checked(kept, model, warnings=warnings)
