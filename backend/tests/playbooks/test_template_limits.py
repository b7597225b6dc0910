"""Templates cannot stall or exhaust the server: bounded arithmetic and sizes in the sandbox,
an output limit, and a time and memory limit enforced by rendering in worker processes, off
the event loop (templating.py's docstring)."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.playbooks import templating
from tests.factories import bearer, make_account, make_contact

TOO_SLOW = "the template took longer than 0.5 s to render"
POWER = "a power this large is not allowed in templates"
NUMBER = "a number this large is not allowed in templates"
SIZE = "text or a list past 100,000 characters (or items) is not allowed in templates"
WIDTH = "a format width or precision above 100,000 is not allowed in templates"
OUTPUT = "the rendered text passes 100,000 characters"
MEMORY = "the template needs more memory than templates may use"

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def aliased_lists(depth: int) -> str:
    """Two equal lists shared 2**depth ways, compared: one C-level call (no Python line to
    stop at) that would hold the GIL for ages, from a template of under 2 KB."""
    t = "{% set a0 = [1] %}{% set b0 = [1] %}"
    for i in range(1, depth + 1):
        t += f"{{% set a{i} = [a{i - 1}, a{i - 1}] %}}{{% set b{i} = [b{i - 1}, b{i - 1}] %}}"
    return t + f"{{{{ a{depth} == b{depth} }}}}"


CONTEXT = {
    "account": {"name": "Acme", "arr": 120_000, "days_to_renewal": 40},
    "usage": {"feature_adoption": 0.456, "active_users": 1234.5},
    "contact": {"first_name": "Pat"},
}


def problem(template: str, field: str = "email_body_template") -> tuple[list[str | int], str]:
    with pytest.raises(templating.TemplateProblem) as caught:
        templating.render(template, CONTEXT, field)
    assert caught.value.status == 422 and caught.value.errors is not None
    [error] = caught.value.errors
    assert caught.value.detail == f"{field}: {error.msg}"
    return error.loc, error.msg


# --- templating.render, directly -------------------------------------------------------------


def test_a_normal_template_renders_exactly():
    text = templating.render(
        "Hi {{ contact.first_name }}, {{ account.name }} ({{ account.arr | money }}) uses "
        "{{ usage.feature_adoption | pct }} of the features; {{ usage.active_users | num(1) }} people, "
        "{{ account.days_to_renewal * 2 }} days, {{ 2 ** 10 }}, {{ 7 ** 100 % 10 }}, {{ '%05.1f' % 3.14159 }}, "
        "{{ '{:>6}'.format('x') }}|{{ 'ab' * 3 }}|{{ [1, 2] + [3] }}|{{ 'x' | center(5) }}|"
        "{{ ['a', 'b'] | join(', ') }}",
        CONTEXT,
        "email_body_template",
    )
    assert text == (
        "Hi Pat, Acme ($120K) uses 46% of the features; 1,234.5 people, 80 days, 1024, 1, 003.1, "
        "     x|ababab|[1, 2, 3]|  x  |a, b"
    )


@pytest.mark.parametrize(
    ("template", "msg"),
    [
        ("{{ (7 ** 10000000) % 10 }}", POWER),
        ("{{ 2 ** 10001 }}", POWER),
        ("{{ (2 ** 6000) * (2 ** 6000) }}", NUMBER),
        ("{{ 'x' * 1000000000 }}", SIZE),
        ("{{ 'ab' * 50001 }}", SIZE),
        ("{{ [0] * 1000000000 }}", SIZE),
        ("{{ ('x' * 60000) + ('x' * 60000) }}", SIZE),
        ("{{ ('x' * 100000) | replace('x', 'yy') }}", SIZE),
        ("{{ range(100000) | join('x' * 100000) }}", SIZE),
        ("{{ ','.join(['x' * 100000, 'y']) }}", SIZE),
        ("{{ [1] | batch(999999999, 'x') | list }}", SIZE),
        ("{{ '%999999999d' % 1 }}", WIDTH),
        ("{{ '%.999999999f' % 1 }}", WIDTH),
        ("{{ '%*d' % (999999999, 1) }}", WIDTH),
        ("{{ '%999999999d' | format(1) }}", WIDTH),
        ("{{ '{:>999999999}'.format(1) }}", WIDTH),
        ("{{ '{:>{w}}'.format(1, w=999999999) }}", WIDTH),
        ("{{ '{0:>99999}{0:>99999}'.format(1) }}", SIZE),
        ("{{ 'x' | center(999999999) }}", WIDTH),
        ("{{ 'x'.ljust(999999999) }}", WIDTH),
        ("{{ 1 | num(999999999) }}", WIDTH),
        ("{% for i in range(100000) %}{{ 'xy' }}{% endfor %}", OUTPUT),
    ],
)
def test_a_template_asking_for_too_much_is_refused_at_once(template, msg):
    assert problem(template) == (["body", "email_body_template"], msg)  # refused, not timed out


def test_a_template_that_runs_too_long_is_stopped():
    started = time.monotonic()
    assert problem(NESTED_LOOP, "steps.2.title") == (["body", "steps", 2, "title"], TOO_SLOW)
    assert time.monotonic() - started < 5
    assert templating.render("{{ 1 + 1 }}", {}) == "2"  # the stopped worker was replaced


def test_a_single_c_level_operation_is_stopped_too():
    """No Python line runs while two shared lists are compared: only a process can be stopped."""
    started = time.monotonic()
    assert problem(aliased_lists(40)) == (["body", "email_body_template"], TOO_SLOW)
    assert time.monotonic() - started < 5
    assert templating.render("{{ 'still here' }}", {}) == "still here"


def test_a_template_that_needs_too_much_memory_is_stopped(monkeypatch):
    monkeypatch.setattr(get_settings(), "template_render_seconds", 20.0)  # memory runs out first
    doubling = (
        "{% set ns = namespace(s='x' * 100000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s | length }}"
    )
    started = time.monotonic()
    assert problem(doubling) == (["body", "email_body_template"], MEMORY)
    assert time.monotonic() - started < 15
    assert templating.render("{{ 'fine' }}", {}) == "fine"


def test_the_limits_follow_the_settings(monkeypatch):
    monkeypatch.setattr(get_settings(), "template_output_chars", 1_000)
    assert problem("{{ 'x' * 1001 }}") == (
        ["body", "email_body_template"],
        "text or a list past 1,000 characters (or items) is not allowed in templates",
    )
    assert problem("{% for i in range(600) %}{{ 'xy' }}{% endfor %}")[1] == "the rendered text passes 1,000 characters"
    monkeypatch.setattr(get_settings(), "template_render_seconds", 0.2)
    assert problem(NESTED_LOOP)[1] == "the template took longer than 0.2 s to render"


def test_the_other_errors_keep_their_messages():
    assert problem("{{ no_such_name }}")[1] == "'no_such_name' is undefined"
    assert problem("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}")[1].startswith("maximum recursion depth")
    with pytest.raises(templating.TemplateProblem) as caught:
        templating.check("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "email_subject_template")
    assert caught.value.errors is not None and caught.value.errors[0].loc == ["body", "email_subject_template"]


async def test_render_fields_names_the_failing_field():
    rendered = await templating.render_fields({"steps.0.title": "Call {{ contact.first_name }}", "x": ""}, CONTEXT)
    assert rendered == {"steps.0.title": "Call Pat", "x": ""}
    with pytest.raises(templating.TemplateProblem) as caught:
        await templating.render_fields({"steps.0.title": "ok", "steps.1.title": "{{ 9 ** 99999 }}"}, CONTEXT)
    assert caught.value.errors is not None
    assert (caught.value.errors[0].loc, caught.value.errors[0].msg) == (["body", "steps", 1, "title"], POWER)
    assert await templating.render_async("{{ account.name }}", CONTEXT) == "Acme"


# --- through the editor's preview, as a viewer ------------------------------------------------

DEFINITION = {
    "name": "Check-in",
    "trigger_type": "manual",
    "steps": [{"title": "Call {{ contact.first_name }}", "due_offset_days": 1}],
    "email_subject_template": "{{ account.name }}",
    "email_body_template": "Hi {{ contact.first_name }}, {{ account.arr | money }}, {{ 0.5 | pct }}.",
}


@pytest.fixture
async def viewer_preview(client, session):
    a = await make_account(session, name="Acme", current_arr=120_000)
    await make_contact(session, a, name="Pat Lee", role="champion", email="pat@acme.test")
    headers = await bearer(session, Role.viewer)

    async def preview(**change):
        return await client.post(
            "/api/v1/playbooks/preview",
            json={"account_id": str(a.id), "definition": {**DEFINITION, **change}},
            headers=headers,
        )

    return preview


async def test_a_viewer_previews_a_normal_template_exactly(viewer_preview):
    r = await viewer_preview()
    assert r.status_code == 200, r.text
    assert r.json()["email"] == {
        "subject": "Acme",
        "body": "Hi Pat, $120K, 50%.",
        "to": "pat@acme.test",
        "to_name": "Pat Lee",
    }
    assert [t["title"] for t in r.json()["tasks"]] == ["Call Pat"]


@pytest.mark.parametrize(
    ("change", "loc", "msg"),
    [
        ({"email_body_template": "{{ (7 ** 10000000) % 10 }}"}, ["body", "email_body_template"], POWER),
        ({"email_subject_template": "{{ 'x' * 1000000000 }}"}, ["body", "email_subject_template"], SIZE),
        ({"email_body_template": "{{ '%999999999d' % 1 }}"}, ["body", "email_body_template"], WIDTH),
        ({"email_body_template": "{{ '{:>999999999}'.format(1) }}"}, ["body", "email_body_template"], WIDTH),
        (
            {"email_body_template": "{% for i in range(100000) %}{{ 'xy' }}{% endfor %}"},
            ["body", "email_body_template"],
            OUTPUT,
        ),
        ({"steps": [{"title": "ok"}, {"title": NESTED_LOOP}]}, ["body", "steps", 1, "title"], TOO_SLOW),
        ({"email_body_template": aliased_lists(40)}, ["body", "email_body_template"], TOO_SLOW),
    ],
)
async def test_a_bomb_in_a_preview_is_a_quick_422_naming_the_field(viewer_preview, change, loc, msg):
    started = time.monotonic()
    r = await viewer_preview(**change)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["errors"] == [{"loc": loc, "msg": msg, "type": "template"}]
    assert body["title"] == "Template cannot be rendered"
    assert time.monotonic() - started < 5


async def test_the_server_keeps_answering_while_a_template_renders(client, viewer_preview):
    """A render that takes the whole time limit: the event loop keeps turning all along (with
    the render on the loop, one turn would take the whole 0.5 s)."""
    # the app's first request warms its caches (SQL compilation...) on the loop: not measured
    assert (await viewer_preview()).status_code == 200
    started = time.monotonic()
    preview = asyncio.create_task(viewer_preview(email_body_template=aliased_lists(40)))
    turns: list[float] = []
    while not preview.done():
        turn = time.monotonic()
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        await asyncio.sleep(0.005)
        turns.append(time.monotonic() - turn)
    r = preview.result()
    assert r.status_code == 422 and r.json()["errors"][0]["msg"] == TOO_SLOW
    assert time.monotonic() - started >= 0.5
    assert len(turns) >= 10
    # on the loop, one turn would last the whole 0.5 s; below it with room for a busy machine
    assert max(turns) < 0.45, turns
