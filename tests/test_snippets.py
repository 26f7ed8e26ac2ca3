"""Every example in snippets/ runs, is shown on a page, and behaves the way the learning pages say it does.

Speed claims are checked as ratios measured side by side in one run, with generous margins (the test machines are
shared and noisy), or as lower bounds that follow from the code itself (five serialised 0.1 s sleeps cannot take
less than 0.5 s). Snippets are imported by file path (tools/asyncfit_docs/measure.load_snippet), so the tests call
the same functions the pages print, instead of parsing their output.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest
from asyncfit_docs.measure import Span, flake8_async_report, load_snippet, ruff_async_report, timeline_svg

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted((ROOT / "snippets").glob("*.py"))
# Where pages name the snippets they include: Markdown (--8<-- "x.py") and the data pages render (the rules
# catalogue's `example = "x.py"`).
PAGE_SOURCES = [p for p in (ROOT / "docs").rglob("*.md") if "vendor" not in p.parts]
PAGE_SOURCES += sorted((ROOT / "wizard" / "data").glob("*.toml"))
DOCS_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in PAGE_SOURCES)
RUN_TIMEOUT_S = 120  # generous: the machines running the tests are shared


def retry(check: Callable[[], str | None], attempts: int = 3) -> None:
    """Run a timing comparison up to `attempts` times; fail with the last message if it never holds.

    `check` returns None when the behaviour held, or a message describing what was measured.
    A busy machine can only slow one side of a comparison down by chance, so a repeat is a fair second look.
    """
    message = None
    for _ in range(attempts):
        message = check()
        if message is None:
            return
    pytest.fail(message or "")


def snippet(name: str) -> ModuleType:
    return load_snippet(name)


# ----------------------------------------------------------------------------------------------------------------
# Every snippet: runs standalone, and some page includes it.


# Snippets that fail on purpose, and the error they must end with (anything else is a bug).
EXPECTED_ERRORS = {
    "runner_lab_raises.py": "ValueError: port out of range",  # the runner lab shows how a traceback is displayed
}


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.name for p in SNIPPETS])
def test_snippet_runs_cleanly(path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,  # a snippet that reads a line gets EOF, never the test run's terminal
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if path.name in EXPECTED_ERRORS:
        assert proc.returncode == 1
        assert proc.stderr.strip().splitlines()[-1].startswith(EXPECTED_ERRORS[path.name]), proc.stderr
        return
    assert proc.returncode == 0, f"{path.name} exited with {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip(), f"{path.name} printed nothing: a snippet shows its reader a result"
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.name for p in SNIPPETS])
def test_snippet_is_included_by_a_page(path: Path) -> None:
    assert f'"{path.name}' in DOCS_TEXT, f'no page in docs/ includes {path.name} (--8<-- "{path.name}")'


def test_there_are_snippets() -> None:
    assert len(SNIPPETS) >= 10


# ----------------------------------------------------------------------------------------------------------------
# How async works


def test_gathered_waits_overlap() -> None:
    demo = snippet("hello_gather")

    def check() -> str | None:
        elapsed = asyncio.run(demo.main(n=10, seconds=0.1))
        assert elapsed >= 0.1 * 0.95  # each wait lasts its full 0.1 s: the batch cannot take less
        # Ten waits in roughly the time of one (at least 3x less than their sum).
        return None if elapsed < 10 * 0.1 / 3 else f"ten gathered 0.1 s waits took {elapsed:.3f} s"

    retry(check)


def test_awaiting_one_by_one_is_sequential_and_tasks_overlap() -> None:
    demo = snippet("sequential_vs_concurrent")

    def check() -> str | None:
        sequential, concurrent = asyncio.run(demo.main())
        assert sequential >= demo.CALLS * demo.CALL_S * 0.95  # awaited in turn: at least the sum of the waits
        return None if sequential >= 3 * concurrent else f"sequential {sequential:.3f} s, tasks {concurrent:.3f} s"

    retry(check)


def test_a_task_starts_on_its_own_and_a_coroutine_only_when_awaited() -> None:
    demo = snippet("coroutines_vs_tasks")
    demo.EVENTS.clear()
    asyncio.run(demo.main())
    events = demo.EVENTS
    order = [e.split(":")[0] for e in events]
    assert order.index("created task B") < order.index("A (coroutine) starts")  # creating B ran nothing
    assert order.index("A (coroutine) starts") < order.index("B (task) starts")  # B starts once main() awaits
    assert order.index("B (task) starts") < order.index("A (coroutine) ends")  # ...while A is still waiting


# ----------------------------------------------------------------------------------------------------------------
# Where async shines


def test_async_http_fan_out_is_several_times_faster_than_sync() -> None:
    demo = snippet("http_fanout")

    def check() -> str | None:
        sync_s, async_s = demo.compare(n=30, latency=0.05)
        assert sync_s >= 30 * 0.05 * 0.95  # one request at a time: at least the sum of the latencies
        return None if sync_s >= 3 * async_s else f"sync {sync_s:.3f} s, async {async_s:.3f} s"

    retry(check)


def test_gather_beyond_the_pool_raises_pool_timeout_and_a_semaphore_fixes_it() -> None:
    demo = snippet("http_pool_limits")
    unbounded, bounded = demo.run_both()
    assert unbounded["PoolTimeout"] > 0
    assert unbounded["200"] == demo.LIMITS.max_connections
    assert bounded == {"200": demo.REQUESTS}


def test_httpx_default_limits_are_what_the_pages_say() -> None:
    limits = snippet("http_pool_limits").DEFAULT_LIMITS
    assert (limits.max_connections, limits.max_keepalive_connections) == (100, 20)


def test_blocking_in_async_endpoint_serialises_requests_but_def_and_await_do_not() -> None:
    demo = snippet("starlette_def_vs_async")

    def check() -> str | None:
        t = demo.measure(n=8)
        assert t["/async-blocking"] >= 8 * demo.CALL_S * 0.95  # serialised: at least the sum of the calls
        ok = t["/async-blocking"] >= 3 * t["/def"] and t["/async-blocking"] >= 3 * t["/async"]
        return None if ok else f"measured {t}"

    retry(check)


def test_semaphore_bounds_concurrency() -> None:
    demo = snippet("semaphore_limit")
    elapsed, peak = asyncio.run(demo.main(jobs=9, limit=3))
    assert peak == 3
    assert elapsed >= 3 * demo.JOB_S * 0.95  # 9 jobs, 3 at a time: at least 3 rounds


def test_idle_tasks_are_cheap() -> None:
    per_task = asyncio.run(snippet("idle_tasks").main(n=2000))
    assert 0 < per_task < 16 * 1024  # a few KiB at most per idle task, far below a thread's stack


# ----------------------------------------------------------------------------------------------------------------
# Where async hurts


def test_async_does_not_speed_up_cpu_bound_work() -> None:
    demo = snippet("cpu_async_vs_sync")

    def check() -> str | None:
        sync_s, async_s = demo.compare(repeats=3)
        ok = async_s >= 0.7 * sync_s
        return None if ok else f"async {async_s:.3f} s vs sync {sync_s:.3f} s: async cannot be faster"

    retry(check)


def test_threads_do_not_speed_up_pure_python_but_overlap_waits() -> None:
    demo = snippet("threads_vs_processes")

    def check() -> str | None:
        timings = demo.measure(chunks=4, size=300_000, wait_s=0.05)
        cpu, wait = timings["cpu"], timings["wait"]
        assert wait["sequential"] >= 4 * 0.05 * 0.95  # four waits in turn: at least the sum of the waits
        if wait["threads"] * 2.5 > wait["sequential"]:
            return f"threads did not overlap waits: {wait}"
        return None if cpu["threads"] >= 0.7 * cpu["sequential"] else f"threads sped up pure Python? {cpu}"

    retry(check)


def parallel_speed_up(crunch: Callable[[int], object], size: int) -> float:
    """How much faster two worker processes finish two chunks than one chunk alone predicts (2.0 at best).

    Measured now, with the test's own pool code kept out of it: other programs keeping the cores busy show up at
    once, where the load average takes a minute to catch up.
    """
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(abs, range(2)))  # workers started before timing
        one = two = float("inf")
        for _ in range(3):  # best of 3: a busy machine only ever makes a run slower
            start = time.perf_counter()
            pool.submit(crunch, size).result()
            one = min(one, time.perf_counter() - start)
            start = time.perf_counter()
            list(pool.map(crunch, [size, size]))
            two = min(two, time.perf_counter() - start)
    return 2 * one / two


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel speed-up needs at least 2 CPU cores")
def test_processes_do_speed_up_pure_python() -> None:
    demo = snippet("threads_vs_processes")
    failures: list[str] = []

    def check() -> str | None:
        cpu = demo.measure(chunks=4, size=600_000, wait_s=0.01)["cpu"]
        if cpu["processes"] <= 0.8 * cpu["threads"]:
            return None
        failures.append(f"processes no faster than threads: {cpu}")
        return failures[-1]

    try:
        retry(check, attempts=4)
    except pytest.fail.Exception:
        # The test asks for processes <= 0.8 x threads, which needs a parallel speed-up of at least 1.25: without
        # it, no program could pass on this machine right now, so the failure says nothing about the snippet.
        # The load average catches steady load, the direct measurement load that began in the last minute.
        load, cores = os.getloadavg()[0], os.cpu_count() or 1
        if load >= cores:
            pytest.skip(f"load average {load:.1f} on {cores} cores: {failures[-1]}")
        speed_up = parallel_speed_up(demo.crunch, 600_000)
        if speed_up < 1.25:
            pytest.skip(f"two processes run only {speed_up:.2f}x as fast as one (cores busy): {failures[-1]}")
        raise


# ----------------------------------------------------------------------------------------------------------------
# The gotcha


def test_blocking_call_in_async_def_serialises_the_tasks() -> None:
    demo = snippet("blocking_in_async")

    def check() -> str | None:
        blocked, awaited = demo.measure(n=5, seconds=0.1)
        assert blocked >= 5 * 0.1 * 0.95  # about N times one call: never less
        return None if blocked >= 3 * awaited else f"time.sleep {blocked:.3f} s, asyncio.sleep {awaited:.3f} s"

    retry(check)


def test_busy_work_blocks_the_loop_like_a_blocking_call() -> None:
    demo = snippet("blocking_busy_work")

    def check() -> str | None:
        hogging, polite = asyncio.run(demo.main())
        assert hogging >= demo.TASKS * demo.CALL_S * 0.95
        return None if hogging >= 3 * polite else f"busy {hogging:.3f} s, polite {polite:.3f} s"

    retry(check)


def test_debug_mode_logs_the_slow_coroutine() -> None:
    messages = snippet("debug_slow_callback").captured_warnings()
    assert any("Executing" in m and "load_report" in m and "took" in m for m in messages), messages


def test_ruff_flags_every_blocking_call_in_the_linted_snippet() -> None:
    report = ruff_async_report("blocking_calls_linted")
    codes = {word for line in report.splitlines() for word in line.split() if word.startswith("ASYNC")}
    # The pinned ruff does not recognise httpx2 (the gotcha page says so): no ASYNC212 for the httpx2.Client call.
    assert codes == {"ASYNC210", "ASYNC221", "ASYNC230", "ASYNC240", "ASYNC250", "ASYNC251"}, report


def test_flake8_async_flags_the_httpx2_call_ruff_misses() -> None:
    report = flake8_async_report("blocking_calls_linted")
    codes = {word for line in report.splitlines() for word in line.split() if word.startswith("ASYNC")}
    assert codes == {"ASYNC210", "ASYNC212", "ASYNC221", "ASYNC230", "ASYNC232", "ASYNC240", "ASYNC250", "ASYNC251"}
    assert "httpx2" in report


def test_no_example_uses_the_unmaintained_httpx() -> None:
    """The site recommends httpx2 (FAQ #which-http-client); flake8-async's ASYNC127 flags any import of httpx."""
    offenders = [p.name for p in SNIPPETS if re.search(r"^\s*(import|from) httpx\b(?!2)", p.read_text("utf-8"), re.M)]
    assert offenders == []


def test_to_thread_and_run_in_executor_unblock_the_loop() -> None:
    demo = snippet("to_thread_fix")

    def check() -> str | None:
        t = demo.measure(n=5, seconds=0.1)
        ok = t["direct"] >= 3 * t["with_to_thread"] and t["direct"] >= 3 * t["with_executor"]
        return None if ok else f"measured {t}"

    retry(check)


# ----------------------------------------------------------------------------------------------------------------
# Escape hatches


def test_default_thread_pools_use_min_32_cpu_plus_4() -> None:
    sizes = snippet("default_pool_sizes").sizes()
    assert sizes["ThreadPoolExecutor()"] == sizes["formula"] == min(32, sizes["cpu_count"] + 4)
    assert sizes["asyncio default executor"] == sizes["formula"]


def test_anyio_limiter_has_40_tokens_and_ignores_the_default_executor() -> None:
    tokens = snippet("anyio_limiter").limiter_tokens()
    assert tokens == {"default": 40, "after set_default_executor": 40, "after raising": 100}


def test_lifespan_raises_the_thread_limit_inside_the_app() -> None:
    demo = snippet("raise_thread_limit")
    assert asyncio.run(demo.served_limit()) == demo.THREADS


def test_cancelled_to_thread_does_not_stop_the_thread() -> None:
    demo = snippet("cancel_to_thread")
    result = demo.run()
    assert result["finished_when_we_gave_up"] is False  # the await gave up while the job was running...
    assert result["gave_up_at"] < demo.JOB_S
    assert result["thread_finished_at"] >= demo.JOB_S * 0.95  # ...and the thread ran to the end anyway
    assert result["thread_finished_at"] > result["gave_up_at"]


def test_process_pool_keeps_the_loop_responsive_during_cpu_work() -> None:
    demo = snippet("offload_cpu_to_process")

    def check() -> str | None:
        gaps = asyncio.run(demo.main())
        return None if gaps["inline"] >= 2 * gaps["process pool"] else f"longest heartbeat gaps: {gaps}"

    retry(check)


# ----------------------------------------------------------------------------------------------------------------
# Build-time helpers


def test_timeline_svg_is_well_formed_and_draws_one_bar_per_span() -> None:
    spans = [Span("task 1", 0.0, 0.1), Span("task <2>", 0.1, 0.2)]
    figure = ET.fromstring(timeline_svg(spans, "two tasks & a caption"))  # noqa: S314 - our own output
    svg = figure.find("svg")
    assert svg is not None
    assert len(svg.findall("rect")) == 2
    assert "style" not in ET.tostring(figure, encoding="unicode")  # no inline styles: the site's CSP forbids them


def test_anyio_to_thread_shields_the_waiting_task_and_asyncio_to_thread_does_not() -> None:
    demo = snippet("cancel_anyio_vs_asyncio")
    result = demo.run()
    waited_asyncio, finished_asyncio = result["asyncio.to_thread"]
    waited_anyio, finished_anyio = result["anyio.to_thread.run_sync (default)"]
    assert finished_anyio, "AnyIO's default waits for the thread: the job is done when the scope ends"
    assert waited_anyio >= demo.JOB_S * 0.95
    assert not finished_asyncio, "asyncio.to_thread lets the caller go while the job still runs"
    assert waited_asyncio < waited_anyio
    waited_abandon, finished_abandon = result["anyio ... abandon_on_cancel=True"]
    assert not finished_abandon
    assert waited_abandon < waited_anyio
    _, finished_checked = result["anyio + from_thread.check_cancelled()"]
    assert not finished_checked, "check_cancelled() stopped the job part-way"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"cpu.max": "200000 100000\n"}, 2.0),
        ({"cpu.max": "250000 100000\n"}, 2.5),
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "150000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1.5),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({}, None),
    ],
)
def test_cpu_quota_is_read_from_cgroup_v2_and_v1(tmp_path: Path, files: dict[str, str], expected: float) -> None:
    demo = snippet("cpu_quota")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert demo.quota_cpus(tmp_path) == expected
    usable = demo.usable_cpus(tmp_path)
    host = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    assert usable == (host if expected is None else max(1, min(host, -(-expected // 1))))
    assert demo.pool_sizes(tmp_path)["ThreadPoolExecutor(max_workers=...)"] == min(32, usable + 4)


def test_idle_thread_commits_far_less_than_it_reserves_and_a_connection_is_kilobytes() -> None:
    m = snippet("connection_memory").measure(n=100)
    assert m["async_bytes_per_connection"] > 2048, "more than 'a kilobyte or two' per connection, both ends"
    if m["thread_reserved_kib"] is not None:
        assert m["thread_resident_kib"] * 20 < m["thread_reserved_kib"], m


# ----------------------------------------------------------------------------------------------------------------
# Tasks, timeouts and backpressure


def test_taskgroup_cancels_siblings_and_gather_does_not() -> None:
    demo = snippet("rule_af306_taskgroup")

    def check() -> str | None:
        r = demo.run()
        assert r["gather_error"] == "a: server said 500"
        assert r["gather_siblings_finished_later"] == ["b finished", "c finished"]  # gather never cancels them
        assert r["taskgroup_errors"] == ["a: server said 500"]
        assert r["taskgroup_siblings_still_running"] == 0  # the group always waits for its children to end
        first, second = r["return_exceptions"]
        assert isinstance(first, ValueError)
        assert second == "b"
        assert r["timeout_lost"] is True, "a task that swallows CancelledError makes asyncio.timeout silent"
        assert r["shield"] == (True, True)
        # a fails at 0.05 s, b and c would end at 0.3 s: only a pause of the whole process across that gap lets b
        # and c finish in the same turn as a's failure (gather then finds nothing running, TaskGroup too late).
        running, cancelled = r["gather_siblings_still_running"], r["taskgroup_siblings_finished_later"]
        ok = running == 2 and cancelled == []
        return None if ok else f"gather: {running} still running; TaskGroup siblings finished: {cancelled}"

    retry(check)


def test_request_deadline_bounds_the_total_and_per_call_timeouts_add_up() -> None:
    demo = snippet("rule_af305_timeouts")

    def check() -> str | None:
        no_timeout, per_call, deadline = demo.run().values()
        assert "stuck" in no_timeout[1]
        counts = re.fullmatch(r"(\d+) answered, (\d+) timed out", per_call[1])
        assert counts, per_call
        answered, timed_out = int(counts[1]), int(counts[2])
        assert answered + timed_out == demo.CALLS, per_call
        assert timed_out >= 2, f"the two hung calls must time out: {per_call}"
        assert per_call[0] >= 2 * demo.PER_CALL_TIMEOUT_S, "two hung calls cost two full timeouts"
        assert "deadline ended it" in deadline[1]
        assert deadline[0] >= demo.REQUEST_BUDGET_S * 0.95
        # A pause of the process across a healthy call's window (0.02 s answer, 0.1 s timeout) can only add
        # timeouts, and one during the deadline run only lengthens it: look again.
        if answered < demo.CALLS - 2:
            return f"per call: {per_call}"
        return None if deadline[0] < per_call[0] else f"deadline run {deadline} not shorter than per call {per_call}"

    retry(check)


def test_httpx2_read_and_pool_timeouts_fire() -> None:
    r = snippet("http_timeouts").run()
    assert [outcome for outcome, _ in r["read=0.1"]] == ["ReadTimeout"]
    assert sorted(outcome for outcome, _ in r["pool=0.05, 1 connection, 2 requests"]) == ["PoolTimeout", "ok"]


def test_bounded_queue_caps_growth_and_unbounded_does_not() -> None:
    demo = snippet("rule_af307_bounded_queue")
    r = demo.run()
    unbounded, bounded, shed = r.values()
    assert unbounded["peak_queue_size"] > 5 * bounded["peak_queue_size"]
    assert bounded["peak_queue_size"] <= 10
    assert bounded["handled"] == unbounded["handled"] == demo.JOBS
    assert shed["shed"] > 0
    assert shed["shed"] + shed["handled"] == demo.JOBS


# ----------------------------------------------------------------------------------------------------------------
# Deploying and diagnosing


def test_loop_lag_heartbeat_sees_a_blocking_step() -> None:
    demo = snippet("loop_lag")

    def check() -> str | None:
        r = demo.run()
        # The block can start part-way through a heartbeat's sleep, so that beat is late by BLOCK_S minus up to
        # one interval: never less (a busy machine only makes it later).
        assert r["one blocking step"] >= demo.BLOCK_S - demo.INTERVAL_S - 0.001, f"measured {r}"
        return None if r["one blocking step"] > 3 * r["healthy"] else f"measured {r}"

    retry(check)


def test_every_worker_process_has_its_own_pools() -> None:
    reports = snippet("pools_per_worker").run(workers=2)
    assert len({r["pid"] for r in reports}) == 2
    assert all(r["AnyIO tokens"] == 40 for r in reports)


def test_blockbuster_fails_the_test_that_blocks_the_loop_and_only_that_one() -> None:
    code, report = snippet("testing_async").run()
    assert code == 1
    assert "1 failed, 1 passed" in report
    assert "BlockingError: Blocking call to time.sleep" in report


# ----------------------------------------------------------------------------------------------------------------
# Crossing threads, cleanup and shutdown


def test_only_call_soon_threadsafe_wakes_an_idle_loop() -> None:
    demo = snippet("crossing_threads")
    r = demo.run()
    assert r["call_soon (wrong)"] >= demo.TIMER_S * 0.9, "nothing woke the selector before the timer"
    assert r["call_soon_threadsafe"] < r["call_soon (wrong)"]
    assert r["run_coroutine_threadsafe result"] == 42


def test_aclosing_releases_at_once_and_a_plain_break_releases_later() -> None:
    log = snippet("aclosing_cleanup").run()
    assert log.index("plain async for: connection released") > log.index(
        "plain async for: loop left, more work follows"
    )
    assert log.index("aclosing: connection released") < log.index("aclosing: loop left, more work follows")


def test_sigterm_lets_short_jobs_finish_and_cancels_the_long_one() -> None:
    if not hasattr(__import__("signal"), "SIGTERM") or sys.platform == "win32":
        pytest.skip("add_signal_handler is Unix-only")
    lines, elapsed = snippet("graceful_shutdown").run()
    assert sum("finished" in line for line in lines) == 3
    assert any("long job cancelled" in line for line in lines)
    assert elapsed < 5.0, "the 5 s job did not hold the shutdown"


# ----------------------------------------------------------------------------------------------------------------
# AnyIO and Trio, task queues


def test_anyio_cancel_scopes_nest_cancel_and_shield() -> None:
    log = snippet("anyio_cancel_scopes").run()
    assert log[0].endswith("cancelled_caught=True")
    assert log[1].startswith("fail_after(0.05): TimeoutError")
    assert log[2].startswith("nested 0.05 s outside 1 s")
    assert log[3].startswith("scope.cancel() from another task")
    assert log[4].startswith("shielded cleanup finished")
    assert len(log) == 5


def test_create_task_work_dies_with_its_process() -> None:
    r = snippet("create_task_is_not_a_queue").run()
    assert r["response"] == "202 Accepted"
    assert r["exit_code"] == 137
    assert r["email_sent"] is False


def test_gevent_overlaps_waits_only_once_sleep_is_patched() -> None:
    # In a process of its own: the snippet monkey-patches time.sleep process-wide.
    code = "import json; from asyncfit_docs.measure import load_snippet; "
    code += "print(json.dumps(load_snippet('gevent_green_threads').run()))"

    def check() -> str | None:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=True
        ).stdout
        r = json.loads(out)
        # Twenty serialised 50 ms sleeps cannot take less than 1 s; overlapped ones take about 50 ms.
        assert r["blocking"] >= 1.0, r
        if r["cooperative"] * 4 < r["blocking"] and r["patched"] * 4 < r["blocking"]:
            return None
        return f"gevent did not overlap the waits: {r}"

    retry(check)
