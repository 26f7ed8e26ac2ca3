"""Build-time measurements for the learning pages, printed as Markdown by markdown-exec blocks.

Every number a page states is measured here, on the machine that builds the site, by calling the same functions
the snippets in `snippets/` expose (imported by file path, so there is one copy of each demo). Usage in a page:

    ```python exec="1"
    from asyncfit_docs.measure import headline_markdown
    print(headline_markdown())
    ```

Results are cached for the duration of the build, so several pages can quote one measurement.
"""

from __future__ import annotations

import asyncio
import functools
import html
import importlib.util
import os
import platform
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

SNIPPETS_DIR = Path(__file__).resolve().parents[2] / "snippets"


def load_snippet(name: str) -> ModuleType:
    """Import snippets/<name>.py as the module `name` (its `__main__` block does not run); cached per process.

    The module is registered in sys.modules and snippets/ is appended to sys.path, so functions defined in a
    snippet can be pickled by reference and sent to a ProcessPoolExecutor (with any start method).
    """
    if name in sys.modules and getattr(sys.modules[name], "__file__", None) == str(SNIPPETS_DIR / f"{name}.py"):
        return sys.modules[name]
    path = SNIPPETS_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: cannot be imported as a module")
    if str(SNIPPETS_DIR) not in sys.path:
        sys.path.append(str(SNIPPETS_DIR))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def machine_label() -> str:
    """Describe the interpreter and machine that produced the numbers, e.g. 'CPython 3.11.7, 2 CPU cores'."""
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU cores"


@dataclass(frozen=True)
class Headline:
    """The index page's comparison: many waits (HTTP) and pure computing, each sync vs async."""

    requests: int
    latency_ms: float
    http_sync_s: float
    http_async_s: float
    cpu_sync_s: float
    cpu_async_s: float


@functools.cache
def headline() -> Headline:
    """Measure the headline comparison once per build (about 3 s)."""
    http = load_snippet("http_fanout")
    cpu = load_snippet("cpu_async_vs_sync")
    http_sync_s, http_async_s = http.compare(http.REQUESTS, http.LATENCY_S)
    cpu_sync_s, cpu_async_s = cpu.compare()
    return Headline(http.REQUESTS, http.LATENCY_S * 1000, http_sync_s, http_async_s, cpu_sync_s, cpu_async_s)


def headline_markdown(to_root: str = "") -> str:
    """Return the headline comparison as a Markdown table, with the machine that measured it.

    markdown-exec output is not seen by MkDocs' link rewriting, so links are built URLs relative to the page:
    `to_root` leads from the calling page to the site root ("" on the home page, "../" one level down).
    """
    h = headline()
    cpu_ratio = h.cpu_sync_s / h.cpu_async_s
    # Async cannot speed up computing: a ratio a little above 1 is measurement noise on a busy machine.
    cpu_verdict = "no gain" if cpu_ratio <= 1.15 else "no gain: noise"
    return "\n".join(
        [
            "| workload | sync | async | async is |",
            "| --- | --- | --- | --- |",
            f"| **waiting**: {h.requests} HTTP requests, {h.latency_ms:.0f} ms latency each "
            f"([code]({to_root}where-async-shines/#many-http-calls)) "
            f"| {h.http_sync_s:.2f} s | {h.http_async_s:.2f} s | **{h.http_sync_s / h.http_async_s:.1f}x faster** |",
            f"| **computing**: 4 chunks of pure-Python arithmetic "
            f"([code]({to_root}where-async-hurts/#cpu-bound-work)) "
            f"| {h.cpu_sync_s:.2f} s | {h.cpu_async_s:.2f} s | **{cpu_ratio:.2f}x** ({cpu_verdict}) |",
            "",
            f"*Measured when this page was built ({machine_label()}); the numbers change from build to build, "
            "the shape does not.*",
        ]
    )


RUFF_ASYNC = [
    sys.executable,
    "-m",
    "ruff",
    "check",
    "--isolated",
    "--no-cache",
    "--select",
    "ASYNC",
    "--output-format=concise",
]


def ruff_async_report(snippet: str) -> str:
    """Run ruff's flake8-async rules on snippets/<snippet>.py, ignoring the repo's config; return its report.

    The repository's ruff config silences ASYNC251 in snippets/ (they break the rule on purpose), hence --isolated.
    """
    proc = subprocess.run(
        [*RUFF_ASYNC, f"snippets/{snippet}.py"],
        cwd=SNIPPETS_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    return (proc.stdout + proc.stderr).strip()


def flake8_async_report(snippet: str, select: str = "ASYNC127,ASYNC2") -> str:
    """Run the pinned flake8 + flake8-async on snippets/<snippet>.py with only `select` enabled; return its report.

    --isolated ignores every flake8 configuration file, as ruff_async_report does for ruff.
    """
    command = [sys.executable, "-m", "flake8", "--isolated", f"--select={select}", f"snippets/{snippet}.py"]
    proc = subprocess.run(command, cwd=SNIPPETS_DIR.parent, capture_output=True, text=True, check=False)
    return (proc.stdout + proc.stderr).strip()


# ---------------------------------------------------------------------------------------------------------------
# Build-time timelines: when each task started and ended, drawn as an inline SVG (no script, no inline styles, so
# it works under the site's Content-Security-Policy; colours come from docs/assets/asyncfit.css).


@dataclass(frozen=True)
class Span:
    """One task's life on the timeline, in seconds since the batch started."""

    label: str
    start: float
    end: float


TaskFactory = Callable[[], Awaitable[object]]


def trace(factories: Sequence[tuple[str, TaskFactory]], *, concurrent: bool = True) -> list[Span]:
    """Run the coroutines (gathered, or awaited one by one) on a fresh event loop; return each one's Span."""

    async def run_all() -> list[Span]:
        t0 = time.perf_counter()

        async def timed(label: str, factory: TaskFactory) -> Span:
            start = time.perf_counter() - t0
            await factory()
            return Span(label, start, time.perf_counter() - t0)

        if concurrent:
            return list(await asyncio.gather(*(timed(label, factory) for label, factory in factories)))
        return [await timed(label, factory) for label, factory in factories]

    return asyncio.run(run_all())


def timeline_svg(spans: Sequence[Span], caption: str, *, axis_s: float | None = None) -> str:
    """Draw spans as horizontal bars on a shared time axis; return an accessible inline SVG inside a <figure>."""
    row_h, label_w, plot_w, top = 24, 150, 560, 8
    total = axis_s or max(span.end for span in spans)
    step = _tick_step(total)
    height = top + row_h * len(spans) + 28

    def x(seconds: float) -> float:
        return label_w + plot_w * seconds / total

    parts = [
        f'<svg class="af-svg-timeline" viewBox="0 0 {label_w + plot_w + 20} {height}" role="img" '
        f'aria-label="{html.escape(caption)}">',
        f"<title>{html.escape(caption)}</title>",
    ]
    ticks = int(total / step + 1e-9)
    for i in range(ticks + 1):
        tx = x(i * step)
        parts.append(f'<line class="af-grid" x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 20}"/>')
        parts.append(f'<text class="af-tick" x="{tx:.1f}" y="{height - 6}">{i * step:.2g} s</text>')
    for row, span in enumerate(spans):
        y = top + row * row_h
        width = max(x(span.end) - x(span.start), 1.5)
        parts.append(
            f'<text class="af-label" x="{label_w - 8}" y="{y + row_h * 0.65:.1f}">{html.escape(span.label)}</text>'
        )
        parts.append(
            f'<rect class="af-bar" x="{x(span.start):.1f}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" rx="3">'
            f"<title>{html.escape(span.label)}: {span.start:.3f} s to {span.end:.3f} s</title></rect>"
        )
    parts.append("</svg>")
    return f'<figure class="af-figure">{"".join(parts)}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _tick_step(total: float) -> float:
    """Pick a round tick interval giving at most 10 ticks over `total` seconds."""
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0):
        if total / step <= 10:
            return step
    return 10.0


def blocking_timelines(tasks: int = 5, seconds: float = 0.1) -> str:
    """Draw the gotcha as two measured timelines: n tasks with asyncio.sleep, then with time.sleep (CPython)."""
    demo = load_snippet("blocking_in_async")
    awaited = trace([(f"task {i + 1}", functools.partial(demo.awaiting_task, seconds)) for i in range(tasks)])
    blocked = trace([(f"task {i + 1}", functools.partial(demo.blocking_task, seconds)) for i in range(tasks)])
    axis = max(span.end for span in blocked + awaited)
    return "\n".join(
        [
            timeline_svg(
                awaited, f"{tasks} tasks awaiting asyncio.sleep({seconds}): measured at build time", axis_s=axis
            ),
            timeline_svg(blocked, f"{tasks} tasks calling time.sleep({seconds}): measured at build time", axis_s=axis),
        ]
    )


def sequential_vs_concurrent_timelines(calls: int = 5, seconds: float = 0.1) -> str:
    """Draw awaiting calls one by one vs starting them together, as two measured timelines."""

    async def call() -> None:
        await asyncio.sleep(seconds)

    factories = [(f"call {i + 1}", call) for i in range(calls)]
    one_by_one = trace(factories, concurrent=False)
    together = trace(factories)
    axis = max(span.end for span in one_by_one + together)
    return "\n".join(
        [
            timeline_svg(one_by_one, f"{calls} calls awaited one by one: measured at build time", axis_s=axis),
            timeline_svg(together, f"{calls} calls started as tasks: measured at build time", axis_s=axis),
        ]
    )
