"""The template sandbox: a site's templates are data from a pull request, not code.

Templates run in Jinja's `ImmutableSandboxedEnvironment`: no attribute starting with `_`
(so no `__globals__`, `__init__`, `__subclasses__`), no unsafe callables, no mutating
the objects citeguide passes in. On top of Jinja's policy, citeguide bounds what a
template can allocate: `*` on strings and lists, `**`, and the text a template produces
are capped, so one line cannot ask for gigabytes. Every failure while loading or
rendering a template (a syntax error, a sandbox refusal, `{{ 1/0 }}`, a template that
includes itself) becomes a `TemplateFailure` carrying the template's file and line,
which the engine reports as a positioned diagnostic instead of a traceback.

A site without templates of its own renders only citeguide's packaged templates, which
are citeguide's code, not a stranger's: those run in `PackageEnvironment`, the same
environment without the sandbox's check on every attribute (about a third of the time
a page took to render), failing the same positioned way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import TracebackType
from typing import Any, NoReturn

from jinja2 import Environment, Template
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT_CHARS = 32 * 1024 * 1024
"""The most text one template render may produce (the largest default page is ~200 KB)."""
MAX_EXPONENT = 1024
"""The largest exponent of `**` in a template."""


class TemplateFailure(TemplateError):
    """A template that failed to load or render, with where it failed."""

    def __init__(self, message: str, filename: str | None, lineno: int) -> None:
        super().__init__(message)
        self.filename, self.lineno = filename, lineno

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in build workers and sent back to the parent process.
        return (TemplateFailure, (self.message, self.filename, self.lineno))


def _where(tb: TracebackType | None) -> tuple[str | None, int]:
    """The innermost template frame of a traceback: (template file, line in it)."""
    found: tuple[str | None, int] = (None, 1)
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return found


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "a template includes or extends itself (recursion too deep)"
    if isinstance(exc, SecurityError):
        return f"refused by the template sandbox: {exc}"
    if isinstance(exc, TemplateError):
        return str(exc.message or exc)
    text = str(exc)
    if len(text) > 300:
        text = text[:300] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class _SiteTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except TemplateFailure as exc:
            # A failure of the render as a whole (its size) names the template rendered.
            if exc.filename is None:
                exc.filename = self.filename
            raise


class _Positioned(Environment):
    """Every failure as a `TemplateFailure` with its template's file and line."""

    template_class = _SiteTemplate

    def handle_exception(self, source: str | None = None) -> NoReturn:
        exc = sys.exc_info()[1]
        assert exc is not None
        if isinstance(exc, TemplateSyntaxError):
            raise TemplateFailure(
                f"template syntax error: {exc.message}", exc.filename, exc.lineno or 1
            ) from None
        if isinstance(exc, TemplateFailure):
            raise exc
        filename, lineno = _where(exc.__traceback__)
        filename = filename or getattr(exc, "filename", None)
        raise TemplateFailure(_describe(exc), filename, lineno) from None


class PackageEnvironment(_Positioned):
    """Where citeguide's own templates are rendered when the site overrides none."""


class SiteEnvironment(_Positioned, ImmutableSandboxedEnvironment):
    """The sandboxed environment a site's own templates are rendered in."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT_CHARS:
                    raise SecurityError(
                        f"repeating a sequence {times} times exceeds {MAX_OUTPUT_CHARS:,} items"
                    )
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def bounded_concat(pieces: Iterable[str]) -> str:
        """`"".join`, stopping once a render passes MAX_OUTPUT_CHARS."""
        out: list[str] = []
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the template produced more than {MAX_OUTPUT_CHARS:,} chars")
            out.append(piece)
        return "".join(out)


def sandboxed(**options: Any) -> SiteEnvironment:
    """A `SiteEnvironment` whose renders are bounded in size."""
    env = SiteEnvironment(**options)
    env.concat = SiteEnvironment.bounded_concat  # type: ignore[method-assign]
    return env
