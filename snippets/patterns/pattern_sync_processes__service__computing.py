"""For: a queue worker (or web API) whose jobs are pure-Python CPU work that holds the GIL, with jobs backing up.

Copy this: a process pool sized to the usable cores, at most 2 jobs per worker in flight (backpressure on the
queue), and a timeout on each result. A web API gets the same from `gunicorn --workers <cores>`, sync workers.
"""

import os
from concurrent.futures import Future, ProcessPoolExecutor

JOB_TIMEOUT_S = 10.0


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


def score(seed: int) -> int:
    """Score one job: a pure-Python loop that holds the GIL, so only separate processes run it in parallel."""
    value = seed
    for _ in range(200_000):
        value = (value * 1_103_515_245 + 12_345) % 2**31
    return value % 1000


def consume(job_ids: list[int], pool: ProcessPoolExecutor, in_flight: int) -> dict[int, int]:
    """Pull jobs and submit them, never holding more than `in_flight` unfinished (the rest stay on the queue)."""
    results: dict[int, int] = {}
    pending: dict[int, Future[int]] = {}
    for job_id in job_ids:  # stands for: for message in queue.receive(): ...
        pending[job_id] = pool.submit(score, job_id)
        if len(pending) >= in_flight:  # backpressure: wait for the oldest before taking more work
            oldest = next(iter(pending))
            results[oldest] = pending.pop(oldest).result(timeout=JOB_TIMEOUT_S)  # then ack it
    results.update({job_id: future.result(timeout=JOB_TIMEOUT_S) for job_id, future in pending.items()})
    return results


if __name__ == "__main__":  # required: worker processes import this module
    workers = worker_count()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        scores = consume(list(range(12)), pool, in_flight=2 * workers)
    print(f"{len(scores)} jobs on {workers} processes; scores[0..3] = {[scores[i] for i in range(4)]}")
