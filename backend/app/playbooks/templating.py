"""Email templates of playbooks, rendered in Jinja2's sandbox with the account's real numbers.

The sandbox refuses attribute access outside plain data (no ``__class__``, no methods that
mutate); undefined names fail loudly so a typo in a template is caught at preview time,
not sent to a customer.

Limits. Any signed-in user can have a template rendered (the editor's preview), so a render
costs the server a bounded amount of time and memory, whatever the template says. Each limit
is a 422 ``TemplateProblem`` naming the field and the limit:

* Numbers (``sandbox``): ``**`` and ``*`` on integers refuse a result past ``MAX_INT_BITS`` bits (about
  3,000 digits): ``{{ 7 ** 10000000 }}`` is "a power this large is not allowed in templates".
* Sizes, before anything is built: repeating or adding text and lists (``*``, ``+``), format
  widths and precisions (``'%999999999d' % 1``, ``'{:>999999999}'.format(1)``, ``|format``,
  ``|center``, ``|indent``, ``|num``, ``str.ljust``...), ``|join``, ``|replace``, ``|batch``,
  ``|slice`` and ``|tojson`` indents are held to ``template_output_chars`` characters (or
  items). ``range()`` keeps the sandbox's own ``MAX_RANGE`` (100,000 items).
* Output: the text is streamed (``Template.generate``) and stops once it passes
  ``template_output_chars`` characters.
* Time and memory, whatever the template does: rendering happens in a small pool of worker
  processes (``POOL_SIZE``), never in the server's own process. When the templates of one job
  (all those of a draft) run past ``template_render_seconds``, the worker is killed (a fresh
  one takes its place) and the template it was on is named; a worker may use at most
  ``WORKER_MEMORY_BYTES`` more memory than it started with (``RLIMIT_AS``). A thread would
  not do: one C-level operation (comparing or printing two nested lists shared 2**40 ways,
  which a 2 KB template builds) holds the GIL and cannot be interrupted, so it would stall
  the event loop from any thread; a process can always be stopped. The checks above are the
  first line (clear messages, no worker lost); the process is the backstop. Workers fork
  from a ``forkserver`` that imported this module (and ``__main__``, which must therefore be
  safe to import, as multiprocessing requires); compiled templates are cached per worker.
* Off the event loop: ``render_fields``/``render_async`` wait for the worker in a thread pool
  of their own (one thread per worker), so the app's shared thread pool is never used up by
  renders and a flood of slow templates queues behind itself, not behind health checks.
  ``render`` is the blocking form (scripts and tests), on the same pool.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from jinja2 import TemplateError

from app.core.config import get_settings
from app.core.errors import FieldError, ProblemError
from app.playbooks.sandbox import ENV, render_here

POOL_SIZE = min(4, os.cpu_count() or 1)
WORKER_MEMORY_BYTES = 512 * 1024 * 1024
WORKER_START_SECONDS = 60.0  # starting a worker (imports) never counts against a template
MEMORY = "the template needs more memory than templates may use"


class TemplateProblem(ProblemError):
    status = 422
    title = "Template cannot be rendered"


# --- the worker processes ---------------------------------------------------------------------


def _limit_memory(extra: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (in_use + extra, in_use + extra))
    except (ImportError, OSError, ValueError):  # not Linux: the time limit still holds
        pass


def _worker_main(conn: Connection, current: Any, memory_bytes: int) -> None:
    """One worker process: renders jobs from the pipe; ``current`` tells which template it is on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(memory_bytes)
    conn.send(("ready",))
    while True:
        try:
            sources, context, max_chars = conn.recv()
        except (EOFError, OSError):
            return
        texts: list[str] = []
        for n, source in enumerate(sources):
            current.value = n
            try:
                texts.append(render_here(source, context, max_chars))
            except MemoryError:
                texts.clear()
                conn.send(("fatal", n, MEMORY))
                return  # a fresh worker takes this one's place
            except Exception as exc:  # whatever a template raises is the template's own error
                conn.send(("error", n, (str(exc) or type(exc).__name__)[:1000]))
                break
        else:
            conn.send(("ok", texts))


def _mp_context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # workers fork from a server that imported these (``__main__`` too, so they need not)
        ctx.set_forkserver_preload(["__main__", __name__])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """A worker process, owned by one thread of ``_executor``."""

    def __init__(self) -> None:
        ctx = _mp_context()
        self.conn, child = ctx.Pipe()
        self.current = ctx.RawValue("i", 0)  # type: ignore[attr-defined]
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child, self.current, WORKER_MEMORY_BYTES),
            daemon=True,
            name="tempo-template-worker",
        )
        self.process.start()
        child.close()
        if not self.conn.poll(WORKER_START_SECONDS):
            self.stop()
            raise RuntimeError("the template worker did not start")
        self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


_local = threading.local()
_executor = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="tempo-templates")

Outcome = list[str] | tuple[int, str]  # the texts, or (the template that failed, why)


def _run(sources: list[str], context: Mapping[str, Any], seconds: float, max_chars: int) -> Outcome:
    """In a thread of ``_executor``: the job on this thread's worker, killed at the deadline."""
    worker: _Worker | None = getattr(_local, "worker", None)
    if worker is None or not worker.process.is_alive():
        worker = _local.worker = _Worker()
    try:
        worker.conn.send((sources, dict(context), max_chars))
        if not worker.conn.poll(seconds):
            failed = (worker.current.value, f"the template took longer than {seconds:g} s to render")
        else:
            kind, *rest = worker.conn.recv()
            if kind == "ok":
                return rest[0]  # type: ignore[no-any-return]
            failed = (rest[0], rest[1])
            if kind == "error":
                return failed
            # "fatal": the worker ran out of memory and ends itself
    except (EOFError, OSError):  # the worker died under the template (a C-level crash)
        failed = (worker.current.value, f"{MEMORY} (its renderer stopped)")
    _local.worker = None
    worker.stop()
    return failed


def _loc(field: str) -> list[str | int]:
    """``steps.0.title`` -> ["body", "steps", 0, "title"], like pydantic's field paths."""
    return ["body", *(int(p) if p.isdigit() else p for p in field.split("."))]


def _problem(field: str, msg: str) -> TemplateProblem:
    return TemplateProblem(f"{field}: {msg}", errors=[FieldError(loc=_loc(field), msg=msg, type="template")])


def _outcome(fields: list[str], outcome: Outcome) -> dict[str, str]:
    if isinstance(outcome, list):
        return dict(zip(fields, outcome, strict=True))
    n, msg = outcome
    raise _problem(fields[n], msg)


async def render_fields(templates: Mapping[str, str], context: Mapping[str, Any]) -> dict[str, str]:
    """Render ``{field path: template}`` with ``context`` in a worker, without blocking the event loop.

    Returns ``{field path: text}``; the first template that fails (its own error or a limit)
    is a 422 naming its field."""
    if not templates:
        return {}
    settings = get_settings()
    fields = list(templates)
    outcome = await asyncio.get_running_loop().run_in_executor(
        _executor,
        _run,
        [templates[f] for f in fields],
        context,
        settings.template_render_seconds,
        settings.template_output_chars,
    )
    return _outcome(fields, outcome)


async def render_async(template: str, context: Mapping[str, Any], field: str = "template") -> str:
    return (await render_fields({field: template}, context))[field]


def render(template: str, context: Mapping[str, Any], field: str = "template") -> str:
    """The blocking form of ``render_async`` (waits up to the time limit): not for async code."""
    settings = get_settings()
    outcome = _executor.submit(
        _run, [template], context, settings.template_render_seconds, settings.template_output_chars
    ).result()
    return _outcome([field], outcome)[field]


def check(template: str, field: str) -> None:
    """Parse only (syntax errors as 422); names are checked when rendered for an account."""
    try:
        ENV.parse(template)
    except (TemplateError, RecursionError) as exc:
        raise _problem(field, str(exc)) from exc
