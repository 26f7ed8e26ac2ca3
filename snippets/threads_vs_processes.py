"""Threads or processes? Four CPU-bound chunks, then four waits, each run sequentially, in threads and in processes.

On standard CPython the GIL lets one thread run Python bytecode at a time: threads overlap waits but not
pure-Python computing. Processes each have their own interpreter (and GIL), so they compute in parallel, at the
cost of starting workers and pickling arguments and results.
Run it: python snippets/threads_vs_processes.py
"""

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

CHUNKS = 4
SIZE = 1_000_000
REPEATS = 3  # keep the best of 3 runs: other programs on the machine only ever make a run slower
WAIT_S = 0.05


def crunch(n: int) -> int:
    """CPU-bound: a pure-Python loop that never waits."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def wait(seconds: float) -> float:
    """I/O-like: the thread sleeps (and releases the GIL) the whole time."""
    time.sleep(seconds)
    return seconds


def sequential(fn: Callable[[float], object], args: list[float], repeats: int = REPEATS) -> float:
    """Call fn on each arg in turn; return the best time of `repeats` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for arg in args:
            fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def pooled(pool: Executor, fn: Callable[[float], object], args: list[float], repeats: int = REPEATS) -> float:
    """Run fn over args in a started pool; return the best time of `repeats` runs (pool start-up excluded)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        list(pool.map(fn, args))
        best = min(best, time.perf_counter() - start)
    return best


def measure(chunks: int = CHUNKS, size: int = SIZE, wait_s: float = WAIT_S) -> dict[str, dict[str, float]]:
    """Seconds taken by each strategy, for CPU work and for waiting."""
    cpu_args, wait_args = [size] * chunks, [wait_s] * chunks
    results = {
        "cpu": {"sequential": sequential(crunch, cpu_args)},
        "wait": {"sequential": sequential(wait, wait_args, 1)},  # sleeping is not disturbed by a busy machine
    }
    pools = (
        ("threads", ThreadPoolExecutor, chunks),  # one thread per chunk: threads are cheap
        ("processes", ProcessPoolExecutor, min(chunks, os.cpu_count() or 1)),  # one process per core
    )
    for name, pool_class, workers in pools:
        with pool_class(max_workers=workers) as pool:
            list(pool.map(abs, range(workers)))  # start the workers first: measure the work, not the start-up
            results["cpu"][name] = pooled(pool, crunch, cpu_args)
            results["wait"][name] = pooled(pool, wait, wait_args, 1)
    return results


if __name__ == "__main__":
    impl = f"{sys.implementation.name} {sys.version.split()[0]}"
    gil = "GIL enabled" if getattr(sys, "_is_gil_enabled", lambda: True)() else "free-threaded"
    print(f"{impl}, {gil}, {os.cpu_count()} CPU cores")
    for kind, timings in measure().items():
        base = timings["sequential"]
        label = f"{CHUNKS} CPU chunks" if kind == "cpu" else f"{CHUNKS} waits of {WAIT_S} s"
        label += f" (best of {REPEATS} runs)" if kind == "cpu" else ""
        print(label)
        for name, seconds in timings.items():
            print(f"  {name:<11} {seconds:5.2f} s  ({base / seconds:.1f}x)")
