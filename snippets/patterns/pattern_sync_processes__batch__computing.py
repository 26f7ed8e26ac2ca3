"""For: a batch job or pipeline with many independent pure-Python CPU pieces (files, simulations, parsers).

Copy this: a ProcessPoolExecutor sized to the usable cores, top-level functions that take and return small
picklable values, and a chunksize so tiny tasks do not drown in pickling; all behind `if __name__ == "__main__"`.
"""

import os
from concurrent.futures import ProcessPoolExecutor


def worker_count() -> int:
    """One worker process per usable core, unless WORKERS=N says otherwise.

    os.cpu_count() counts the host's cores and ignores container CPU quotas (docker --cpus, Kubernetes limits);
    sched_getaffinity honours cpusets only. Under a quota, set WORKERS=N (or PYTHON_CPU_COUNT=N on 3.13+).
    """
    if explicit := os.environ.get("WORKERS"):
        return int(explicit)
    if hasattr(os, "process_cpu_count"):  # 3.13+: the affinity mask, or PYTHON_CPU_COUNT when set
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def simulate(seed: int) -> float:
    """One independent piece: a pure-Python loop that holds the GIL, so only separate processes parallelise it."""
    state, hits = seed, 0
    for _ in range(30_000):
        state = (state * 1_103_515_245 + 12_345) % 2**31
        hits += state % 100 < 30
    return hits / 30_000


if __name__ == "__main__":  # required: worker processes import this module
    workers = worker_count()
    seeds = range(32)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rates = list(pool.map(simulate, seeds, chunksize=max(1, len(seeds) // (4 * workers))))
    print(f"{len(rates)} simulations on {workers} processes; mean hit rate {sum(rates) / len(rates):.4f}")
