"""For: an async pipeline that downloads many items and runs a heavy pure-Python step on each (parse, score).

Copy this: the loop awaits the downloads and hands each CPU step to a process pool with run_in_executor; the
pool uses a "spawn" context (never fork a process running a loop or threads), is sized on purpose and shut down
off the loop. One Semaphore bounds the items in progress, so memory stays flat.
"""

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

MAX_IN_FLIGHT = 16


def worker_count() -> int:
    """One worker process per usable core, unless CPU_WORKERS=N says otherwise.

    os.cpu_count() counts the host's cores and ignores container CPU quotas (docker --cpus, Kubernetes limits);
    sched_getaffinity honours cpusets only. Under a quota, set CPU_WORKERS=N (or PYTHON_CPU_COUNT=N on 3.13+).
    """
    if explicit := os.environ.get("CPU_WORKERS"):
        return int(explicit)
    if hasattr(os, "process_cpu_count"):  # 3.13+: the affinity mask, or PYTHON_CPU_COUNT when set
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


async def download(doc_id: int) -> str:
    """Async client: awaited on the loop."""
    await asyncio.sleep(0.02)  # stands for: await session.get(f"{API}/docs/{doc_id}")
    return f"alpha w{doc_id} beta{doc_id % 7} gamma " * 5_000


def score(text: str) -> int:
    """Score one document: pure Python, holds the GIL; top-level so it can be pickled to a worker process."""
    return sum(len(word) * (i % 7) for i, word in enumerate(text.split())) % 10_007


async def process(doc_id: int, pool: ProcessPoolExecutor, limit: asyncio.Semaphore) -> int:
    """Download on the loop, compute in a worker process: the loop keeps downloading meanwhile."""
    async with limit:
        text = await download(doc_id)
        return await asyncio.get_running_loop().run_in_executor(pool, score, text)


async def main() -> None:
    """Run 48 documents through the pipeline."""
    workers = worker_count()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        limit = asyncio.Semaphore(MAX_IN_FLIGHT)
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(process(doc_id, pool, limit)) for doc_id in range(48)]
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)  # waits in a thread, not on the loop
    print(f"{len(tasks)} documents scored on {workers} processes; checksum {sum(t.result() for t in tasks)}")


if __name__ == "__main__":  # required: the "spawn" workers import this module
    asyncio.run(main())
