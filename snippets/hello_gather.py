"""Ten waits of 0.2 s, all in flight at once: the batch takes about 0.2 s, not 2 s.

asyncio.sleep stands in for any wait (a network reply, a database row): while one task waits, the event loop runs
the others. Run it: python snippets/hello_gather.py (or press Run on the page).
"""

import asyncio
import time


async def wait(seconds: float) -> float:
    await asyncio.sleep(seconds)  # "wake me in `seconds`": control goes back to the event loop meanwhile
    return seconds


async def main(n: int = 10, seconds: float = 0.2) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(wait(seconds) for _ in range(n)))
    elapsed = time.perf_counter() - start
    print(f"{n} waits of {seconds} s took {elapsed:.2f} s in total")
    return elapsed


if __name__ == "__main__":
    asyncio.run(main())
