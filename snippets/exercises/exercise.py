"""What the exercises' programs import as `exercise`: simulated I/O and CPU work that records what it did.

Every helper records a `Span` (what ran, from when to when, and how it ended) into `SPANS`, so an exercise's
check can inspect the program's behaviour (did the waits overlap? how many were open at once? was a call cut
off?) rather than its printed output. The same file is installed as the module `exercise` in the browser's
worker (docs/assets/runner/worker.js) and in CPython (tools/asyncfit_docs/exercise.py), fresh for every run.

`run_check` runs an exercise's check.py after the program, in the same process, with the program's globals.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

T0 = time.perf_counter()


def now() -> float:
    """Seconds since this module was installed (the start of the run)."""
    return time.perf_counter() - T0


@dataclass
class Span:
    """One call of a helper: `kind` groups the calls a check looks at."""

    kind: str
    label: str
    start: float
    end: float | None = None
    outcome: str = "running"  # "done", "cancelled" or "failed" once it ends

    @property
    def duration(self) -> float:
        return (self.end if self.end is not None else now()) - self.start


SPANS: list[Span] = []


@contextlib.contextmanager
def span(kind: str, label: str) -> Iterator[Span]:
    """Record one span around the block, with how it ended."""
    record = Span(kind, label, now())
    SPANS.append(record)
    try:
        yield record
    except asyncio.CancelledError:
        record.outcome = "cancelled"
        raise
    except BaseException:
        record.outcome = "failed"
        raise
    else:
        record.outcome = "done"
    finally:
        record.end = now()


def spans(kind: str) -> list[Span]:
    return [s for s in SPANS if s.kind == kind]


def wall(records: list[Span]) -> float:
    """From the first start to the last end."""
    if not records:
        return 0.0
    return max(s.start + s.duration for s in records) - min(s.start for s in records)


def busy(records: list[Span]) -> float:
    """The sum of the spans' durations (what they would take one after another)."""
    return sum(s.duration for s in records)


def max_open(records: list[Span]) -> int:
    """The most spans open at the same moment."""
    events = sorted([(s.start, 1) for s in records] + [(s.start + s.duration, -1) for s in records])
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def spin(seconds: float) -> None:
    """Keep the CPU busy for `seconds` without ever giving the event loop a chance to run (like a blocking call)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


# --- simulated work, one group per exercise ---------------------------------------------------------------

DOWNLOAD_S = 0.2


async def download(n: int) -> str:
    """Download file n: waits DOWNLOAD_S seconds on the network."""
    with span("download", f"download({n})"):
        await asyncio.sleep(DOWNLOAD_S)
    return f"file-{n}"


FETCH_S = 0.1


async def fetch(url: str) -> int:
    """GET url: waits FETCH_S seconds; returns a status code."""
    with span("fetch", url):
        await asyncio.sleep(FETCH_S)
    return 200


GET_S = 0.2


async def async_get(url: str) -> str:
    """The async client: awaits the network for GET_S seconds (the loop runs other tasks meanwhile)."""
    with span("get", url):
        await asyncio.sleep(GET_S)
    return f"<{url}>"


def sync_get(url: str) -> str:
    """The sync client: holds the thread (and so the event loop) for GET_S seconds."""
    with span("get", url):
        spin(GET_S)
    return f"<{url}>"


CHUNK_S = 0.025


def crunch_chunk(n: int) -> int:
    """One chunk of CPU work (CHUNK_S seconds of computing; never waits)."""
    with span("chunk", f"chunk {n}"):
        spin(CHUNK_S)
    return n * n


OTHER_REQUESTS = 40


def serve_others(requests: int = OTHER_REQUESTS) -> Coroutine[Any, Any, None]:
    """Serve short requests that each need the loop for a moment (like responses that have already arrived).

    The first request arrives when serve_others() is called, each next one when the one before is served. Each
    request's span runs from its arrival to when it was served: how long it waited for the loop.
    """
    arrived = now()

    async def serve() -> None:
        ready = arrived
        for n in range(requests):
            SPANS.append(Span("request", f"request {n}", ready, now(), "done"))
            ready = now()
            await asyncio.sleep(0)  # the next request needs the loop again

    return serve()


QUOTE_S = {"fast": 0.05, "steady": 0.1, "stuck": 1.0}


async def quote(service: str) -> float:
    """Ask a pricing service for a quote; "stuck" takes QUOTE_S["stuck"] seconds to answer."""
    with span("quote", service):
        await asyncio.sleep(QUOTE_S[service])
    return {"fast": 9.5, "steady": 10.0, "stuck": 8.0}[service]


JOB_S = 0.1


async def process(job: int) -> None:
    """Handle one queued job (JOB_S seconds)."""
    with span("job", f"job {job}"):
        await asyncio.sleep(JOB_S)


RECEIPT_S = 0.1


async def send_receipt(order: int) -> None:
    """E-mail the receipt of an order (RECEIPT_S seconds)."""
    with span("receipt", f"receipt {order}"):
        await asyncio.sleep(RECEIPT_S)


# --- checking ----------------------------------------------------------------------------------------------


class CheckFailed(Exception):
    """Raised by a check with a message saying what it measured."""


async def run_check(check_source: str, program: dict[str, Any], program_ok: bool) -> dict[str, Any]:
    """Run check.py's `check(program)` (sync or async) after the program; return {"passed", "message"}.

    check() returns the pass message, or raises CheckFailed with what it measured.
    """
    if not program_ok:
        return {
            "passed": False,
            "message": "Your program raised an exception (see its output), so its behaviour was not checked. "
            "Fix the error and run it again.",
        }
    namespace: dict[str, Any] = {"__name__": "exercise_check"}
    try:
        exec(compile(check_source, "<check>", "exec"), namespace)  # noqa: S102 (the site's own check code)
        check: Callable[[dict[str, Any]], Any] = namespace["check"]
        message = check(program)
        if inspect.isawaitable(message):
            message = await message
    except CheckFailed as exc:
        return {"passed": False, "message": str(exc)}
    except Exception as exc:  # any failure of the check is reported, never raised
        return {"passed": False, "message": f"The check could not inspect your program: {type(exc).__name__}: {exc}"}
    return {"passed": True, "message": str(message)}
