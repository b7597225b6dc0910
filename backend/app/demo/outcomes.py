"""How well the demo book's states predict its outcomes (DESIGN section 17).

Each past renewal is classified by the Usage-Health quadrant its account's latent state
implied ``horizon_days`` before the renewal date (usage high when engagement is at least
``USAGE_CUTOFF``, health high when satisfaction is at least ``HEALTH_CUTOFF``: the levels
where the observable axes cross 60); churn and expansion rates are then compared with the
Champions'. Run ``python -m app.demo.outcomes --accounts 20000`` for a report.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date

import numpy as np

from app.demo.generator import DemoBook, DemoParams, generate
from app.demo.latent import HEALTH_CUTOFF, USAGE_CUTOFF

QUADRANTS = ("champions", "frustrated_power_users", "relationship_dependent", "churn_risk")


@dataclass(frozen=True)
class QuadrantOutcome:
    quadrant: str
    renewals: int
    churned: int
    expanded: int

    @property
    def churn_rate(self) -> float:
        return self.churned / self.renewals if self.renewals else float("nan")

    @property
    def expansion_rate(self) -> float:
        return self.expanded / self.renewals if self.renewals else float("nan")


def latent_quadrant(book: DemoBook, account: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Quadrant index (see ``QUADRANTS``) implied by the latent states on day ``t``."""
    col = t + book.latent.offset
    usage_high = book.latent.engagement[account, col] >= USAGE_CUTOFF
    health_high = book.latent.satisfaction[account, col] >= HEALTH_CUTOFF
    return np.where(usage_high, np.where(health_high, 0, 1), np.where(health_high, 2, 3))


def past_renewals(book: DemoBook) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(account, day, churned, expanded) of every renewal whose outcome is known."""
    ren = book.commercial.renewals
    known = [i for i, after in enumerate(ren["arr_after"]) if after is not None]
    account = np.array([ren["account"][i] for i in known], dtype=np.int64)
    t = np.array([ren["t"][i] for i in known], dtype=np.int64)
    before = np.array([ren["arr_before"][i] for i in known])
    after = np.array([ren["arr_after"][i] for i in known])
    return account, t, after <= 0.005, after > before + 0.005


def churn_by_quadrant(book: DemoBook, horizon_days: int = 90) -> dict[str, QuadrantOutcome]:
    account, t, churned, expanded = past_renewals(book)
    quadrant = latent_quadrant(book, account, t - horizon_days)
    return {
        name: QuadrantOutcome(
            name, int((quadrant == q).sum()), int(churned[quadrant == q].sum()), int(expanded[quadrant == q].sum())
        )
        for q, name in enumerate(QUADRANTS)
    }


def ratios_to_champions(outcomes: dict[str, QuadrantOutcome]) -> dict[str, float]:
    base = outcomes["champions"].churn_rate
    return {name: o.churn_rate / base for name, o in outcomes.items()}


def report(book: DemoBook, horizon_days: int = 90) -> str:
    outcomes = churn_by_quadrant(book, horizon_days)
    ratios = ratios_to_champions(outcomes)
    lines = [f"quadrant {horizon_days} days before renewal   renewals  churned  churn%  x champions  expanded%"]
    for name, o in outcomes.items():
        lines.append(
            f"{name:34s} {o.renewals:9d} {o.churned:8d} {100 * o.churn_rate:6.1f}  {ratios[name]:11.2f}  {100 * o.expansion_rate:8.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=20000)
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--horizon-days", type=int, default=90)
    args = parser.parse_args()
    book = generate(DemoParams(args.accounts, args.months, args.seed, args.end_date))
    print(report(book, args.horizon_days))


if __name__ == "__main__":
    main()
