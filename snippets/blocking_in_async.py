"""The gotcha: five tasks that each "wait" 0.1 s. With asyncio.sleep the waits overlap; with time.sleep (a blocking
call) each task holds the event loop and the others queue behind it.

Needs real CPython: in the browser (Pyodide) time.sleep does not block the loop, see blocking_busy_work.py.
Run it: python snippets/blocking_in_async.py
"""

import asyncio
import time

TASKS = 5
CALL_S = 0.1


# --8<-- [start:tasks]
async def blocking_task(seconds: float) -> None:
    time.sleep(seconds)  # blocks the whole event loop: no other task can run meanwhile


async def awaiting_task(seconds: float) -> None:
    await asyncio.sleep(seconds)  # suspends this task only: the loop runs the others


# --8<-- [end:tasks]


async def gather_timed(task, n: int, seconds: float) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(task(seconds) for _ in range(n)))
    return time.perf_counter() - start


def measure(n: int = TASKS, seconds: float = CALL_S) -> tuple[float, float]:
    """Return (seconds with time.sleep, seconds with asyncio.sleep) for n gathered tasks."""
    blocked = asyncio.run(gather_timed(blocking_task, n, seconds))
    awaited = asyncio.run(gather_timed(awaiting_task, n, seconds))
    return blocked, awaited


if __name__ == "__main__":
    blocked, awaited = measure()
    print(f"{TASKS} tasks, each waiting {CALL_S} s:")
    print(f"  await asyncio.sleep: {awaited:.2f} s  (the waits overlap)")
    print(f"  time.sleep:          {blocked:.2f} s  (= {blocked / CALL_S:.1f} x one call: the loop was serialised)")
