"""Write ``openapi/openapi.json`` and ``openapi/schema.graphql`` (``make schema``).

``--check`` exits non-zero when the committed files differ from what the code generates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.core.config import REPO_ROOT

OPENAPI_DIR = REPO_ROOT / "openapi"


def render() -> dict[str, str]:
    from app.graphql.schema import schema
    from app.main import create_app

    spec = create_app(spa_dist=None).openapi()
    return {
        "openapi.json": json.dumps(spec, indent=2, sort_keys=False) + "\n",
        "schema.graphql": schema.as_str() + "\n",
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, content in render().items():
        path: Path = OPENAPI_DIR / name
        if check:
            if not path.exists() or path.read_text() != content:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            print(f"wrote {path.relative_to(REPO_ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)} — run `make schema` and commit the result", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
