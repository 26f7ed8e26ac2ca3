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


print(f"blocking call made directly:     heartbeat ticked {asyncio.run(run(offload=False))} time(s) in 0.3 s")
print(f"blocking call in asyncio.to_thread: heartbeat ticked {asyncio.run(run(offload=True))} times in 0.3 s")
