"""Latency under load with wrk (a C load generator), so the figures are the server's and not
the cost of a Python client sharing the same two cores. ``make bench`` falls back to httpx
when wrk is not installed (``apt-get install wrk``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

LUA = """
local paths, bodies = {}, {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  local path, body = line:match("^([^\t]*)\t?(.*)$")
  paths[#paths + 1] = path
  bodies[#bodies + 1] = body
end
local key = os.getenv("WRK_KEY")
local i = 0
request = function()
  i = i % #paths + 1
  if bodies[i] ~= "" then
    return wrk.format("POST", paths[i], { ["Authorization"] = "Bearer " .. key,
      ["Content-Type"] = "application/json" }, bodies[i])
  end
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. key })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.timeout + summary.errors.read,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, key: str, paths: list[str], concurrency: int, seconds: int) -> dict[str, float]:
    """p50/p95 over ``seconds`` of ``concurrency`` connections cycling through ``paths``; a path
    followed by a tab and a JSON body is POSTed with that body (GraphQL)."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp) / "paths.lua", Path(tmp) / "paths.txt"
        script.write_text(LUA)
        listing.write_text("\n".join(paths) + "\n")
        out = subprocess.run(  # noqa: S603 - wrk with our own arguments
            [
                shutil.which("wrk") or "wrk",
                f"-t{min(2, concurrency)}",
                f"-c{concurrency}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base_url,
            ],
            env={"WRK_PATHS": str(listing), "WRK_KEY": key, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+)", out)
    if not found:
        raise RuntimeError(f"wrk gave no result: {out}")
    requests, errors, p50, p95 = found.groups()
    if int(errors):
        raise RuntimeError(f"{errors} of {requests} requests failed")
    return {"requests": float(requests), "p50_ms": float(p50), "p95_ms": float(p95)}
