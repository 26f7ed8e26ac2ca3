"""The gotcha, browser edition: five tasks, each holding the CPU for 0.1 s without awaiting, then five tasks that
await asyncio.sleep(0.1). A task that never awaits keeps the event loop to itself: the others wait in line.

(This version uses busy-work because in Pyodide time.sleep does not block the loop; on CPython it does.)
Run it: python snippets/blocking_busy_work.py (or press Run on the page and watch the timeline).
"""

import asyncio
import time

TASKS = 5
CALL_S = 0.1


def busy(seconds: float) -> None:
    """Keep the CPU busy for `seconds` without ever giving control back (like parsing a big file)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def hogging_task(seconds: float) -> None:
    busy(seconds)  # no await inside: nothing else on this loop runs until it returns


async def polite_task(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def gather_timed(task, n: int, seconds: float) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(task(seconds) for _ in range(n)))
    return time.perf_counter() - start


async def main() -> tuple[float, float]:
    hogging = await gather_timed(hogging_task, TASKS, CALL_S)
    polite = await gather_timed(polite_task, TASKS, CALL_S)
    print(f"{TASKS} tasks of {CALL_S} s each")
    print(f"  busy-work, no await: {hogging:.2f} s  (one after another)")
    print(f"  await asyncio.sleep: {polite:.2f} s  (overlapped)")
    return hogging, polite


if __name__ == "__main__":
    asyncio.run(main())
