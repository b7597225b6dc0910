"""Column mappings for exports we know, so importing them is one click (docs/imports.md).

``PRESETS`` by key; ``detect`` finds the preset a header row belongs to.
"""

from __future__ import annotations

from app.imports.presets.base import Derive, Preset, column_key, columns_read, find_column, match, resolve_mapping
from app.imports.presets.billing import BILLING_PRESETS
from app.imports.presets.crm import CRM_PRESETS
from app.imports.presets.samples import SAMPLE_PRESETS
from app.imports.presets.support import SUPPORT_PRESETS

__all__ = [
    "PRESETS",
    "Derive",
    "Preset",
    "column_key",
    "columns_read",
    "detect",
    "find_column",
    "resolve_mapping",
]

PRESETS: dict[str, Preset] = {p.key: p for p in (*SAMPLE_PRESETS, *CRM_PRESETS, *SUPPORT_PRESETS, *BILLING_PRESETS)}

# A preset is detected when at least this share of its mapped columns is in the file
# (and every required field's column).
DETECT_SHARE = 0.6


def detect(columns: list[str]) -> Preset | None:
    """The preset whose columns best match a header row: the highest share present, then the
    most columns present; None when no preset has a clear majority of its columns."""
    best: tuple[float, int] | None = None
    found: Preset | None = None
    for preset in PRESETS.values():
        score = match(preset, columns)
        if score is None or score[0] < DETECT_SHARE:
            continue
        if best is None or score > best:
            best, found = score, preset
    return found
