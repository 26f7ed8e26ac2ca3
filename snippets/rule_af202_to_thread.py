import asyncio
import time


def blocking_call() -> str:
    time.sleep(0.3)  # a sync library call with no async version
    return "done"


async def heartbeat(ticks: list[float]) -> None:
    while True:
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.05)


async def run(offload: bool) -> int:
    ticks: list[float] = []
    beat = asyncio.create_task(heartbeat(ticks))
    await asyncio.sleep(0)
    if offload:
        await asyncio.to_thread(blocking_call)
    else:
        blocking_call()
    beat.cancel()
    return len(ticks)


direct = asyncio.run(run(offload=False))
offloaded = asyncio.run(run(offload=True))
print(f"blocking call on the loop:       heartbeat ticked {direct} time(s) in 0.3 s")
print(f"blocking call in asyncio.to_thread: heartbeat ticked {offloaded} times in 0.3 s")
