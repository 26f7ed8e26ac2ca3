"""httpx2's (and httpx's) PoolTimeout in miniature: more requests than pooled connections, and a timeout."""

import asyncio
import time

MAX_CONNECTIONS = 5  # httpx2's default is 100; small here so the effect shows fast
POOL_TIMEOUT = 0.15  # httpx2's default timeout (5 s) also bounds the wait for a free connection


async def request(pool: asyncio.Semaphore) -> str:
    try:
        await asyncio.wait_for(pool.acquire(), POOL_TIMEOUT)  # wait for a free connection
    except TimeoutError:
        return "PoolTimeout"
    try:
        await asyncio.sleep(0.1)  # the request itself
        return "ok"
    finally:
        pool.release()


async def bounded(pool: asyncio.Semaphore, limit: asyncio.Semaphore) -> str:
    async with limit:  # the fix: never ask the pool for more than it has
        return await request(pool)


async def main() -> None:
    for label, bound in (("unbounded gather", False), ("with a semaphore", True)):
        pool = asyncio.Semaphore(MAX_CONNECTIONS)
        limit = asyncio.Semaphore(MAX_CONNECTIONS)
        start = time.perf_counter()
        jobs = [bounded(pool, limit) if bound else request(pool) for _ in range(20)]
        results = await asyncio.gather(*jobs)
        took = time.perf_counter() - start
        ok, failed = results.count("ok"), results.count("PoolTimeout")
        print(f"{label}: {ok} ok, {failed} PoolTimeout, {took:.2f} s")


asyncio.run(main())
