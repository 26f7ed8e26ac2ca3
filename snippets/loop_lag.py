"""A loop-lag heartbeat: the cheapest production signal that something blocks the event loop.

A background task asks to sleep 20 ms and measures how late it actually wakes up. On a healthy loop the lag stays
near zero; while some task holds the loop (here 0.15 s of CPU busy-work standing in for a blocking call), the next
heartbeat is late by about that long. Export the lag as a metric and alert on it; it finds blocking calls that no
linter sees. Runs in the browser too (busy-work, not time.sleep). Run it: python snippets/loop_lag.py
"""

import asyncio
import time

INTERVAL_S = 0.02
BLOCK_S = 0.15


async def heartbeat(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(INTERVAL_S)
        lags.append(loop.time() - start - INTERVAL_S)  # how late the loop came back to us


def busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:  # holds the loop like a blocking call would
        pass


async def phase(block: bool) -> float:
    lags: list[float] = []
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(lags, stop))
    await asyncio.sleep(0.1)
    if block:
        busy(BLOCK_S)
    await asyncio.sleep(0.1)
    stop.set()
    await beat
    return max(lags)


async def main() -> dict[str, float]:
    return {"healthy": await phase(block=False), "one blocking step": await phase(block=True)}


def run() -> dict[str, float]:
    return asyncio.run(main())


if __name__ == "__main__":
    for name, lag in run().items():
        print(f"{name:<18} worst heartbeat lag {lag * 1000:6.1f} ms")
