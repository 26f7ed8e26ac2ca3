import asyncio
import time


async def handler_blocking(i: int) -> None:
    time.sleep(0.1)  # blocks the event loop: no other task runs meanwhile


async def handler_awaiting(i: int) -> None:
    await asyncio.sleep(0.1)  # yields to the loop while it waits


async def serve(handler) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(handler(i) for i in range(5)))
    return time.perf_counter() - start


blocked = asyncio.run(serve(handler_blocking))
awaited = asyncio.run(serve(handler_awaiting))
print(f"5 requests, time.sleep inside async def: {blocked:.2f} s (one after another)")
print(f"5 requests, await asyncio.sleep:         {awaited:.2f} s (together)")
