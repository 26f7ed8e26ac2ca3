"""An async service with one CPU-heavy step. A heartbeat task ticks every 20 ms; we record the longest gap between
ticks while the heavy step runs inline on the loop, and while it runs in a process pool.
Run it: python snippets/offload_cpu_to_process.py
"""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor

SIZE = 5_000_000
TICK_S = 0.02


def crunch(n: int) -> int:
    """CPU-bound pure Python (holds the GIL the whole time)."""
    total = 0
    for i in range(n):
        total += i * i
    return total


async def heartbeat(gaps: list[float]) -> None:
    """Tick forever, recording how late each tick is: a stand-in for 'other requests being served'."""
    last = time.perf_counter()
    while True:
        await asyncio.sleep(TICK_S)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def longest_gap(offload: bool, pool: ProcessPoolExecutor) -> float:
    gaps: list[float] = []
    ticker = asyncio.create_task(heartbeat(gaps))
    await asyncio.sleep(TICK_S * 2)
    if offload:
        await asyncio.get_running_loop().run_in_executor(pool, crunch, SIZE)  # the loop stays free
    else:
        crunch(SIZE)  # inline: the loop stops until it returns
    await asyncio.sleep(TICK_S * 2)
    ticker.cancel()
    return max(gaps)


async def main() -> dict[str, float]:
    with ProcessPoolExecutor(max_workers=1) as pool:
        await asyncio.get_running_loop().run_in_executor(pool, abs, 0)  # start the worker process first
        return {"inline": await longest_gap(False, pool), "process pool": await longest_gap(True, pool)}


if __name__ == "__main__":
    print(f"heartbeat every {TICK_S * 1000:.0f} ms; longest gap between ticks while the CPU step ran:")
    for name, gap in asyncio.run(main()).items():
        print(f"  {name:<13} {gap * 1000:5.0f} ms")
