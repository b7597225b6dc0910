"""Email templates of playbooks, rendered in Jinja2's sandbox with the account's real numbers.

The sandbox refuses attribute access outside plain data (no ``__class__``, no methods that
mutate); undefined names fail loudly so a typo in a template is caught at preview time,
not sent to a customer.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.core.errors import FieldError, ProblemError
from app.core.format import short_money


def _money(value: Any) -> str:
    try:
        return short_money(float(value))
    except (TypeError, ValueError):
        return "—"


def _pct(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


def _num(value: Any, digits: int = 0) -> str:
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return "—"


ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(money=_money, pct=_pct, num=_num)


class TemplateProblem(ProblemError):
    status = 422
    title = "Template cannot be rendered"


def _loc(field: str) -> list[str | int]:
    """``steps.0.title`` -> ["body", "steps", 0, "title"], like pydantic's field paths."""
    return ["body", *(int(p) if p.isdigit() else p for p in field.split("."))]


def render(template: str, context: dict[str, Any], field: str = "template") -> str:
    try:
        return ENV.from_string(template).render(**context)
    except (TemplateError, OverflowError, ValueError, TypeError, ArithmeticError) as exc:
        # TemplateError covers the sandbox's SecurityError; the others are a template's own bugs
        # (e.g. a range past the sandbox's limit, a filter on the wrong kind of value).
        raise TemplateProblem(
            f"{field}: {exc}", errors=[FieldError(loc=_loc(field), msg=str(exc), type="template")]
        ) from exc


def check(template: str, field: str) -> None:
    """Parse only (syntax errors as 422); names are checked when rendered for an account."""
    try:
        ENV.parse(template)
    except TemplateError as exc:
        raise TemplateProblem(
            f"{field}: {exc}", errors=[FieldError(loc=_loc(field), msg=str(exc), type="template")]
        ) from exc
