"""`await` alone does not make anything concurrent. Awaiting calls one by one waits for each in turn;
starting them as tasks (TaskGroup or gather) puts all the waits in flight together.
Run it: python snippets/sequential_vs_concurrent.py (or press Run on the page).
"""

import asyncio
import time

CALLS = 5
CALL_S = 0.1


async def fetch(i: int) -> int:
    await asyncio.sleep(CALL_S)  # stands in for one network call
    return i


# --8<-- [start:both]
async def one_by_one() -> list[int]:
    return [await fetch(i) for i in range(CALLS)]  # each await ends before the next call starts


async def all_at_once() -> list[int]:
    async with asyncio.TaskGroup() as group:  # Python 3.11+; asyncio.gather works the same way here
        tasks = [group.create_task(fetch(i)) for i in range(CALLS)]
    return [task.result() for task in tasks]


# --8<-- [end:both]


async def timed(make_calls) -> float:
    start = time.perf_counter()
    await make_calls()
    return time.perf_counter() - start


async def main() -> tuple[float, float]:
    sequential = await timed(one_by_one)
    concurrent = await timed(all_at_once)
    print(f"{CALLS} calls of {CALL_S} s each")
    print(f"  awaited one by one: {sequential:.2f} s")
    print(f"  as tasks:           {concurrent:.2f} s")
    return sequential, concurrent


if __name__ == "__main__":
    asyncio.run(main())
