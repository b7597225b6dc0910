"""Posting a spreadsheet to the import API the way the SPA does (multipart, form fields)."""

from __future__ import annotations

import json
from typing import Any


async def post_file(client: Any, headers: dict[str, str], kind: str, name: str, content: bytes, **form: Any) -> Any:
    """The import report of ``content`` uploaded as ``name``; dict fields go as JSON, booleans
    as ``true``/``false``."""
    files = {"file": (name, content, "text/csv")}
    data = {
        k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v)
        for k, v in form.items()
    }
    r = await client.post(f"/api/v1/import/{kind}", files=files, data=data, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()
