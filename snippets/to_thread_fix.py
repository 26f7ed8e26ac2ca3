"""The fix for a blocking call you cannot replace: hand it to a thread and await the result.

Five tasks call a blocking function (time.sleep stands in for a sync database driver or SDK):
directly, with asyncio.to_thread, and with loop.run_in_executor on a pool you size yourself.
Run it: python snippets/to_thread_fix.py
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

TASKS = 5
CALL_S = 0.1


def blocking_call(seconds: float) -> str:
    """A sync library call: blocks its thread for `seconds`."""
    time.sleep(seconds)
    return "row"


# --8<-- [start:fixes]
async def direct(seconds: float) -> str:
    return blocking_call(seconds)  # wrong: blocks the event loop


async def with_to_thread(seconds: float) -> str:
    return await asyncio.to_thread(blocking_call, seconds)  # runs in the loop's default thread pool


POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="db")  # a pool you size for this resource


async def with_executor(seconds: float) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(POOL, blocking_call, seconds)


# --8<-- [end:fixes]


async def gather_timed(task, n: int, seconds: float) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(task(seconds) for _ in range(n)))
    return time.perf_counter() - start


def measure(n: int = TASKS, seconds: float = CALL_S) -> dict[str, float]:
    """Seconds for n gathered tasks, per way of making the blocking call."""
    return {
        task.__name__: asyncio.run(gather_timed(task, n, seconds)) for task in (direct, with_to_thread, with_executor)
    }


if __name__ == "__main__":
    print(f"{TASKS} tasks, each making one blocking {CALL_S} s call:")
    for name, seconds in measure().items():
        print(f"  {name:<15} {seconds:.2f} s")
    POOL.shutdown()
