"""Pools are per worker process: `uvicorn --workers 4` or Gunicorn with 4 workers has 4 of every pool.

Each worker process of a server is a separate Python interpreter with its own event loop, its own asyncio default
executor, its own AnyIO limiter (40 tokens) and its own database and HTTP connection pools. This starts two worker
processes, as a process manager would, and asks each for its pool sizes. Multiply by the number of workers (and
the number of pods) before you size a database's connection limit. Needs processes (CPython).
Run it: python snippets/pools_per_worker.py
"""

import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.to_thread

WORKERS = 2


async def limiter_tokens() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


def worker_pools(results: "multiprocessing.Queue[dict[str, int]]") -> None:
    """What one worker process gets: runs inside that process and reports back."""
    with ThreadPoolExecutor() as pool:
        threads = pool._max_workers  # private, fine for a look
    tokens = int(anyio.run(limiter_tokens))
    results.put({"pid": os.getpid(), "default executor threads": threads, "AnyIO tokens": tokens})


def run(workers: int = WORKERS) -> list[dict[str, int]]:
    """Start `workers` processes, one per server worker, and collect what each reports."""
    results: multiprocessing.Queue[dict[str, int]] = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=worker_pools, args=(results,)) for _ in range(workers)]
    for process in processes:
        process.start()
    reports = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join()
    return reports


if __name__ == "__main__":
    results = run()
    for r in results:
        print(
            f"worker pid {r['pid']}: {r['default executor threads']} default-executor threads, "
            f"{r['AnyIO tokens']} AnyIO tokens"
        )
    pids = {r["pid"] for r in results}
    total = sum(r["AnyIO tokens"] for r in results)
    print(f"{len(pids)} workers: up to {total} threads for def endpoints in total, one pool each")
