"""Jinja2's immutable sandbox with bounds on what a template may build: numbers, repeated or
concatenated text and lists, format widths and precisions, the size-taking filters, and the
rendered text itself (``templating`` says why and runs it in worker processes with a time
limit). Everything here runs inside a template worker process."""

from __future__ import annotations

import contextvars
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache, update_wrapper
from typing import Any

from jinja2 import StrictUndefined, Template, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from app.core.format import short_money

MAX_INT_BITS = 10_000
COMPILED_CACHE_SIZE = 256


class TemplateLimit(Exception):
    """Raised inside the sandbox when a template asks for more than a template may have."""


# --- the sandbox's size checks (they run in the worker process) ---------------------------------

_MAX_CHARS: contextvars.ContextVar[int] = contextvars.ContextVar("template_max_chars", default=100_000)


def _size_limit(size: int) -> None:
    limit = _MAX_CHARS.get()
    if size > limit:
        raise TemplateLimit(f"text or a list past {limit:,} characters (or items) is not allowed in templates")


def _width_limit(width: Any) -> None:
    limit = _MAX_CHARS.get()
    size = len(width) if isinstance(width, str) else abs(width) if isinstance(width, int) else 0
    if size > limit:
        raise TemplateLimit(f"a format width or precision above {limit:,} is not allowed in templates")


def _digits(digits: str) -> int:
    return 10**12 if len(digits) > 12 else int(digits)


def _spec_limit(spec: str) -> None:
    """Every number in a ``format()`` spec (fill, width, precision) is held to the size limit."""
    for digits in re.findall(r"\d+", spec):
        _width_limit(_digits(digits))


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?.", re.DOTALL)


def _printf_limit(fmt: str, args: Any) -> None:
    """``fmt % args``: widths and precisions, then the size of what the arguments bring."""
    star = False
    for match in _PRINTF.finditer(fmt):
        for number in match.groups():
            if number == "*":
                star = True
            elif number:
                _width_limit(_digits(number))
    values = tuple(args.values()) if isinstance(args, Mapping) else args if isinstance(args, tuple) else (args,)
    if star:
        for value in values:
            _width_limit(value)
    _size_limit(len(fmt) + sum(len(v) for v in values if isinstance(v, str)))


def _power_limit(base: Any, exponent: Any) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and exponent > 1 and abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_INT_BITS:
        raise TemplateLimit("a power this large is not allowed in templates")


def _product_limit(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimit("a number this large is not allowed in templates")
        return
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int) and times > 0:
            _size_limit(len(seq) * times)


def _sum_limit(left: Any, right: Any) -> None:
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        _size_limit(len(left) + len(right))


def _replaced_size(text: str, old: str, new: str, count: Any) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


class _BoundedFormatter(SandboxedFormatter):
    """``str.format``: every field's spec and the total size stay under the limit."""

    produced = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.produced = 0
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        _spec_limit(format_spec)
        text = super().format_field(value, format_spec)
        self.produced += len(text)
        _size_limit(self.produced)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    pass


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with arithmetic, formatting and string building bounded."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _power_limit(left, right)
        elif operator == "*":
            _product_limit(left, right)
        elif operator == "+":
            _sum_limit(left, right)
        elif operator == "%" and isinstance(left, str):
            _printf_limit(left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None
        f_self: str = value.__self__
        formatter: _BoundedFormatter
        if isinstance(f_self, Markup):
            formatter = _BoundedEscapeFormatter(self, escape=f_self.escape)
        else:
            formatter = _BoundedFormatter(self)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs:
                    raise TypeError("format_map() takes no keyword arguments")
                if len(args) != 1:
                    raise TypeError(f"format_map() takes exactly one argument ({len(args)} given)")
                kwargs, args = args[0], ()
            return type(f_self)(formatter.vformat(f_self, args, kwargs))

        return update_wrapper(wrapper, value)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name in ("center", "ljust", "rjust", "zfill"):
                _width_limit(args[0] if args else kwargs.get("width", 0))
            elif name == "expandtabs":
                tabsize = args[0] if args else kwargs.get("tabsize", 8)
                if isinstance(tabsize, int):
                    _size_limit(len(owner) + owner.count("\t") * tabsize)
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                _size_limit(_replaced_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1))
            elif name == "join" and len(args) == 1:
                items = list(args[0])
                args = (items,)
                _size_limit(sum(len(x) for x in items if isinstance(x, str)) + len(owner) * max(len(items) - 1, 0))
        return super().call(__context, __obj, *args, **kwargs)


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


def _day(value: Any) -> str:
    """An ISO date (or date) as people write it: "Jan 2, 2027"."""
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%b %-d, %Y")
    except (TypeError, ValueError):
        return "—"


def _num(value: Any, digits: int = 0) -> str:
    _width_limit(digits)
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return "—"


def _bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja's own filters whose arguments could build text or lists far past the limit."""
    center, indent, fmt, batch, slice_ = (filters[n] for n in ("center", "indent", "format", "batch", "slice"))
    join, replace, tojson = filters["join"], filters["replace"], filters["tojson"]

    def do_center(value: Any, width: int = 80) -> Any:
        _width_limit(width)
        return center(value, width)

    def do_indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
        _width_limit(width)
        text = str(s)
        _size_limit(len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else width))
        return indent(s, width, first, blank)

    def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        _printf_limit(str(value), kwargs or args)
        return fmt(value, *args, **kwargs)

    def do_batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        _size_limit(linecount if isinstance(linecount, int) else 0)
        return batch(value, linecount, fill_with)

    def do_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
        _size_limit(slices if isinstance(slices, int) else 0)
        return slice_(value, slices, fill_with)

    @pass_eval_context
    def do_join(eval_ctx: EvalContext, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(value)
        text = sum(len(x) for x in items if isinstance(x, str)) if attribute is None else 0
        _size_limit(text + len(str(d)) * max(len(items) - 1, 0))
        return join(eval_ctx, items, d, attribute)

    @pass_eval_context
    def do_replace(eval_ctx: EvalContext, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
        _size_limit(_replaced_size(str(s), str(old), str(new), -1 if count is None else count))
        return replace(eval_ctx, s, old, new, count)

    @pass_eval_context
    def do_tojson(eval_ctx: EvalContext, value: Any, indent: int | None = None) -> Any:
        _width_limit(indent)
        return tojson(eval_ctx, value, indent)

    return {
        "center": do_center,
        "indent": do_indent,
        "format": do_format,
        "batch": do_batch,
        "slice": do_slice,
        "join": do_join,
        "replace": do_replace,
        "tojson": do_tojson,
    }


ENV = BoundedSandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(_bounded_filters(ENV.filters))
ENV.filters.update(money=_money, pct=_pct, num=_num, day=_day)


@lru_cache(maxsize=COMPILED_CACHE_SIZE)
def _compiled(source: str) -> Template:
    return ENV.from_string(source)


def render_here(source: str, context: Mapping[str, Any], max_chars: int) -> str:
    """Render in this process, with the size limits but no time limit: the worker's job.

    Raises TemplateLimit, TemplateError or the template's own error (bad arithmetic...)."""
    token = _MAX_CHARS.set(max_chars)
    try:
        parts: list[str] = []
        size = 0
        for chunk in _compiled(source).generate(**context):
            size += len(chunk)
            if size > max_chars:
                raise TemplateLimit(f"the rendered text passes {max_chars:,} characters")
            parts.append(chunk)
        return "".join(parts)
    finally:
        _MAX_CHARS.reset(token)
