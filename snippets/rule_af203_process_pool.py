import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def resize_image(size: int) -> int:
    return sum(i * i for i in range(size))  # CPU-heavy pure Python


async def heartbeat(ticks: list[float]) -> None:
    while True:
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.02)


async def main() -> None:
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1) as pool:
        await loop.run_in_executor(pool, abs, 0)  # start the worker process
        for label, offload in (("on the loop", False), ("in a process", True)):
            ticks: list[float] = []
            beat = asyncio.create_task(heartbeat(ticks))
            await asyncio.sleep(0)
            start = time.perf_counter()
            if offload:
                await loop.run_in_executor(pool, resize_image, 1_500_000)
            else:
                resize_image(1_500_000)
            elapsed = time.perf_counter() - start
            beat.cancel()
            print(f"CPU step {label:<13} {elapsed:.2f} s, heartbeat ticked {len(ticks)} time(s)")


if __name__ == "__main__":
    asyncio.run(main())
