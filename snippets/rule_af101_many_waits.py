import asyncio
import time


async def fetch(i: int) -> int:
    await asyncio.sleep(0.1)  # stands for one network round trip
    return i


async def one_after_another() -> None:
    for i in range(10):
        await fetch(i)


async def all_at_once() -> None:
    await asyncio.gather(*(fetch(i) for i in range(10)))


async def main() -> None:
    start = time.perf_counter()
    await one_after_another()
    sequential = time.perf_counter() - start

    start = time.perf_counter()
    await all_at_once()
    concurrent = time.perf_counter() - start

    print(f"10 waits, one after another: {sequential:.2f} s")
    print(f"10 waits, in flight together: {concurrent:.2f} s")
    print(f"{sequential / concurrent:.0f}x less waiting: nothing ran faster, the waits overlapped")


asyncio.run(main())
