"""Load the demo book from the command line and time it (the ``tempo demo-data`` command
is the supported entry point; this one exists for benchmarks and debugging).

    python -m app.demo --accounts 20000 --database-url postgresql://... [--replace]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import date

import asyncpg

from app.demo.generator import DemoParams
from app.demo.loader import load_demo_data


async def _run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    last: dict[str, float] = {}

    def progress(table: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last.get(table, 0.0) >= 5 or done == total:
            last[table] = now
            print(f"{now - started:7.1f}s  {table:<20} {done:>12,} / {total:,}", file=sys.stderr)

    params = DemoParams(accounts=args.accounts, months=args.months, seed=args.seed, end_date=args.end_date)
    dsn = args.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn)
    try:
        summary = await load_demo_data(conn, params, progress, replace=args.replace)
    finally:
        await conn.close()
    for table, rows in summary.rows.items():
        print(f"{table:<22} {rows:>12,}")
    print(f"{'total':<22} {summary.total_rows:>12,} rows in {summary.seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m app.demo", description=__doc__)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=DemoParams().end_date)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--replace", action="store_true", help="truncate an existing book first")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
