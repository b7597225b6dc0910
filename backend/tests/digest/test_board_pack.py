"""The board pack: a PDF (read back with pypdf) holding the as-of date and the same revenue at
risk as the API, the three answers, the seven KPIs and the definitions; for leads only."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from app.core.enums import Role
from app.flows import scoring_pass
from app.reports import format as fmt
from app.scoring.service import today
from app.support.models import Ticket
from tests.digest.test_metrics import hand_book
from tests.factories import bearer, make_account


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_the_board_pack(client, session):
    await hand_book(session)
    risky = await make_account(session, name="Risky & Co", arr=300_000)
    session.add(
        Ticket(
            source_id=f"{risky.id}-p1", account_id=risky.id, priority=1, opened_at=datetime.now(UTC) - timedelta(days=2)
        )
    )
    await session.flush()
    await scoring_pass.rescore(session, {risky.id: today()})
    headers = await bearer(session, Role.leader)

    r = await client.get("/api/v1/metrics/board-pack.pdf", params={"scope": "all"}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    day = today()
    assert r.headers["content-disposition"] == f'attachment; filename="tempo-board-pack-{day.isoformat()}.pdf"'
    assert r.content.startswith(b"%PDF-")
    text = text_of(r.content)

    at_risk = (await client.get("/api/v1/metrics/revenue-at-risk", headers=headers)).json()["revenue_at_risk"]
    assert at_risk > 0
    assert f"As of {fmt.day(day)}" in text
    assert fmt.money(at_risk) in text
    for heading in (
        "How much revenue is at risk?", "Which accounts need attention?",
        "Where do renewals and expansion come from next quarter?", "NRR and GRR by quarter", "Definitions",
    ):  # fmt: skip
        assert heading in text, heading
    assert "Risky & Co" in text  # the top of the queue
    for label in ("ARR", "NRR (TTM)", "GRR (TTM)", "Logo churn (monthly)", "Revenue churn (monthly)",
                  "Expansion ARR (monthly)", "Net new ARR, existing customers"):  # fmt: skip
        assert label in text, label
    assert "$24K" in text  # ARR today, as the Leadership page prints it
    assert "Expansion pipeline:" in text


async def test_only_leads_download_it(client, session):
    r = await client.get("/api/v1/metrics/board-pack.pdf", headers=await bearer(session, Role.csm))
    assert r.status_code == 403
