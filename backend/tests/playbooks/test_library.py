"""The built-in library on an install that already has it: unedited plays follow the library,
edited ones are the team's; and who a play's steps go to."""

from __future__ import annotations

from sqlalchemy import text

from app.core.config import get_settings
from app.core.enums import Role
from app.playbooks import repository
from app.playbooks import service as playbooks
from app.playbooks.library import LIBRARY
from tests.factories import make_account, make_user


async def test_unedited_built_ins_follow_the_library_and_edited_ones_stay(session):
    await playbooks.ensure_library(session)
    # an older install: one play as an earlier library wrote it, one a lead edited, one retired
    await session.execute(
        text(
            "UPDATE playbook SET trigger_value = 'champions->frustrated_power_users' "
            "WHERE key = 'frustrated-power-user-outreach'"
        )
    )
    await session.execute(
        text("INSERT INTO playbook (id, key, name, trigger_type, trigger_value, steps, is_builtin) VALUES "
             "(gen_random_uuid(), 'stale-data-fix', 'Stale data fix', 'alert_rule', 'inactivity', '[]', true)")
    )  # fmt: skip
    edited = (await session.execute(text("SELECT id FROM playbook WHERE key = 'usage-reengagement'"))).scalar_one()
    thresholds = await playbooks.thresholds(session)
    await playbooks.update(session, edited, {"name": "Our usage call"}, thresholds, "user:lead")

    library = {p.key: p for p in await playbooks.list_playbooks(session)}
    assert library["frustrated-power-user-outreach"].trigger_value == "*->frustrated_power_users"
    assert library["usage-reengagement"].name == "Our usage call"
    assert library["stale-data-fix"].is_active is False
    assert {k for k, p in library.items() if p.is_active} == {p["key"] for p in LIBRARY}
    # nothing to do the second time: no row is written
    before = (await session.execute(text("SELECT xmin::text FROM playbook ORDER BY key"))).scalars().all()
    await repository.ensure_library(session, LIBRARY)
    assert (await session.execute(text("SELECT xmin::text FROM playbook ORDER BY key"))).scalars().all() == before


async def test_every_step_goes_to_a_named_person(session, monkeypatch):
    lead = await make_user(session, role=Role.leader, name="Lee Park")
    await make_user(session, role=Role.leader, name="Other Leader")
    support = await make_user(session, role=Role.csm, name="Sam Support", email="support-lead@example.com")
    owner = await make_user(session, role=Role.csm, name="Robin Diaz", lead_id=lead.id)
    a = await make_account(session, name="Acme", owner_id=owner.id)
    library = {p.key: p for p in await playbooks.list_playbooks(session)}

    async def assignees(key):
        drafted = await playbooks.draft(session, library[key], a.id)
        return [(t["assignee_role"], t["assignee_id"], t["assignee_name"]) for t in drafted["tasks"]]

    # no support lead configured: the owner's lead does the support lead's steps
    assert await assignees("critical-ticket-escalation") == [
        ("owner", owner.id, "Robin Diaz"),
        ("support_lead", lead.id, "Lee Park"),
        ("owner", owner.id, "Robin Diaz"),
    ]
    monkeypatch.setenv("TEMPO_SUPPORT_LEAD_EMAIL", "Support-Lead@example.com")
    get_settings.cache_clear()
    try:
        assert (await assignees("critical-ticket-escalation"))[1] == ("support_lead", support.id, "Sam Support")
    finally:
        monkeypatch.delenv("TEMPO_SUPPORT_LEAD_EMAIL")
        get_settings.cache_clear()
    assert [r for r, _, _ in await assignees("churn-risk-call")] == ["leader", "owner", "owner", "leader"]
    assert (await assignees("churn-risk-call"))[0][1:] == (lead.id, "Lee Park")
