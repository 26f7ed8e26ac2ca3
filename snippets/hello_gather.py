import asyncio
import time


async def wait(seconds: float) -> float:
    await asyncio.sleep(seconds)
    return seconds


async def main() -> None:
    start = time.perf_counter()
    await asyncio.gather(*(wait(0.2) for _ in range(10)))
    print(f"10 waits of 0.2 s took {time.perf_counter() - start:.2f} s")


asyncio.run(main())
