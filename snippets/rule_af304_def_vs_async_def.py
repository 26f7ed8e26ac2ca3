"""What FastAPI does with an endpoint: `def` runs in a thread pool, `async def` on the loop."""

import asyncio
import inspect
import time


async def dispatch(endpoint) -> None:
    if inspect.iscoroutinefunction(endpoint):
        await endpoint()
    else:
        await asyncio.to_thread(endpoint)  # FastAPI: anyio.to_thread.run_sync


def sync_endpoint() -> None:
    time.sleep(0.2)  # a sync DB client: fine, this runs in a worker thread


async def blocking_async_endpoint() -> None:
    time.sleep(0.2)  # the same call in async def: it blocks the event loop


async def async_endpoint() -> None:
    await asyncio.sleep(0.2)  # an async client: fine, the loop serves others meanwhile


async def five_requests(endpoint) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(dispatch(endpoint) for _ in range(5)))
    return time.perf_counter() - start


for ep in (sync_endpoint, blocking_async_endpoint, async_endpoint):
    print(f"5 concurrent requests to {ep.__name__:<24} {asyncio.run(five_requests(ep)):.2f} s")
