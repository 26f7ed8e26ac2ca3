"""Start 12 jobs at once but let at most 3 run at a time, with asyncio.Semaphore: the usual way to respect a
server's rate limit or a connection pool's size. Run it: python snippets/semaphore_limit.py (or press Run).
"""

import asyncio
import time

JOBS = 12
LIMIT = 3
JOB_S = 0.1


async def main(jobs: int = JOBS, limit: int = LIMIT) -> tuple[float, int]:
    semaphore = asyncio.Semaphore(limit)
    in_flight = peak = 0

    async def job() -> None:
        nonlocal in_flight, peak
        async with semaphore:  # at most `limit` jobs get past this line at a time
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(JOB_S)  # stands in for one request
            in_flight -= 1

    start = time.perf_counter()
    await asyncio.gather(*(job() for _ in range(jobs)))
    elapsed = time.perf_counter() - start
    print(f"{jobs} jobs of {JOB_S} s, Semaphore({limit}): {elapsed:.2f} s, at most {peak} in flight")
    return elapsed, peak


if __name__ == "__main__":
    asyncio.run(main())
