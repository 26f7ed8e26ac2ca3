import asyncio
import time

LIMIT = 5
counts = {"in_flight": 0, "peak": 0}


async def fetch(i: int, limit: asyncio.Semaphore) -> int:
    async with limit:  # at most LIMIT requests on the wire at once
        counts["in_flight"] += 1
        counts["peak"] = max(counts["peak"], counts["in_flight"])
        await asyncio.sleep(0.05)
        counts["in_flight"] -= 1
        return i


async def main() -> None:
    limit = asyncio.Semaphore(LIMIT)
    start = time.perf_counter()
    results = await asyncio.gather(*(fetch(i, limit) for i in range(20)))
    took = time.perf_counter() - start
    print(f"{len(results)} requests, at most {counts['peak']} in flight, {took:.2f} s")


asyncio.run(main())
