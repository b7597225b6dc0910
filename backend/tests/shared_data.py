"""Where the shared real-world data sets are (../shared/data beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path:
    """TEMPO_SHARED_DATA, else `shared/data` beside the checkout."""
    if os.environ.get("TEMPO_SHARED_DATA"):
        return Path(os.environ["TEMPO_SHARED_DATA"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return Path("/work/shared/data")
