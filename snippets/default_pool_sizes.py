"""How many threads do the default pools get on this machine?

ThreadPoolExecutor() and asyncio's default executor (used by asyncio.to_thread and run_in_executor(None, ...))
both use min(32, os.cpu_count() + 4) workers since Python 3.8. (On 3.13+ the formula reads
os.process_cpu_count(), which respects CPU affinity.) The pools expose their size only through the private
attribute `_max_workers`: fine for a look, not for production code.
Run it: python snippets/default_pool_sizes.py
"""

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor


def cpu_count() -> int:
    """The CPU count the pools use: os.process_cpu_count() on 3.13+, os.cpu_count() before."""
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def thread_pool_size() -> int:
    with ThreadPoolExecutor() as pool:
        return pool._max_workers


async def default_executor_size() -> int:
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(abs, 0)  # the loop creates its default executor on first use
    return loop._default_executor._max_workers


def sizes() -> dict[str, int]:
    return {
        "cpu_count": cpu_count(),
        "formula": min(32, cpu_count() + 4),
        "ThreadPoolExecutor()": thread_pool_size(),
        "asyncio default executor": asyncio.run(default_executor_size()),
    }


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    for name, value in sizes().items():
        print(f"  {name:<25} {value}")
