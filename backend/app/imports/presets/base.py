"""What a preset is, and how one is matched against a file's header row.

A mapping is ``{target_field: source_column}``; a value starting with ``=`` is a
constant (``"=month"``). Exports differ by version and by the columns someone picked, so
a field may name ``alternatives`` (the first column present wins) and a preset's
optional fields whose columns are all missing are left out. ``values`` translates cell
values per field (``{field: {source text: target}}``, case-insensitive). ``derive``
fills fields computed from several columns (it may return a reason to skip the row);
``reads`` names the columns it reads, so they are not reported as unmapped.
``aggregate`` folds rows that land on the same usage day (usage-daily only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.ingest.schemas import ITEM_MODELS, Kind

# (the row's cells by column, the item built so far) -> None, or why the row is left out
Derive = Callable[[dict[str, str], dict[str, Any]], str | None]


@dataclass(frozen=True)
class Preset:
    key: str
    kind: Kind
    name: str
    description: str
    mapping: dict[str, str]
    derive: Derive | None = None
    aggregate: bool = False
    row_id: str | None = None  # column identifying a row, for dropping duplicate rows
    defaults: dict[str, bool] = field(default_factory=dict)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    reads: tuple[str, ...] = ()

    def candidates(self, target: str) -> tuple[str, ...]:
        return (self.mapping[target], *self.alternatives.get(target, ()))


def column_key(name: str) -> str:
    """Columns are recognised whatever their case or spacing (Data Loader writes ``ID``)."""
    return " ".join(name.split()).casefold()


def find_column(columns: Iterable[str], names: Iterable[str]) -> str | None:
    """The file's spelling of the first of ``names`` it has."""
    by_key = {column_key(c): c for c in columns}
    for name in names:
        if column_key(name) in by_key:
            return by_key[column_key(name)]
    return None


def required_fields(kind: Kind) -> set[str]:
    return {n for n, f in ITEM_MODELS[kind].model_fields.items() if f.is_required()}


def resolve_mapping(preset: Preset, columns: list[str]) -> dict[str, str]:
    """The preset's mapping in this file's column names.

    An optional field whose columns are all missing is left out; a required one keeps the
    preset's column name so the mapping check reports it.
    """
    required = required_fields(preset.kind)
    mapping: dict[str, str] = {}
    for target, source in preset.mapping.items():
        if source.startswith("="):
            mapping[target] = source
            continue
        found = find_column(columns, preset.candidates(target))
        if found is not None:
            mapping[target] = found
        elif target in required:
            mapping[target] = source
    return mapping


def columns_read(preset: Preset, columns: list[str]) -> set[str]:
    """Columns the preset uses besides its mapping: what ``derive`` reads, the row id."""
    names = {column_key(n) for n in (*preset.reads, *([preset.row_id] if preset.row_id else []))}
    return {c for c in columns if column_key(c) in names}


def match(preset: Preset, columns: list[str]) -> tuple[float, int] | None:
    """(share of the preset's mapped columns present, how many), or None when a required
    field's column is missing. Each field counts once, whichever alternative is present."""
    required = required_fields(preset.kind)
    groups: list[tuple[str, ...]] = []
    for target, source in preset.mapping.items():
        if source.startswith("="):
            continue
        candidates = preset.candidates(target)
        if target in required and find_column(columns, candidates) is None:
            return None
        groups.append(candidates)
    if not groups:
        return None
    present = sum(1 for g in groups if find_column(columns, g) is not None)
    return present / len(groups), present
