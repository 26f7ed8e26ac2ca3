"""A coroutine object does nothing until awaited; a task starts on its own as soon as the loop gets control.
Watch the order of the lines and their timestamps.
Run it: python snippets/coroutines_vs_tasks.py (or press Run on the page).
"""

import asyncio
import time

START = time.perf_counter()
EVENTS: list[str] = []  # the messages in the order they happened


def log(message: str) -> None:
    EVENTS.append(message)
    print(f"{time.perf_counter() - START:5.2f} s  {message}")


async def job(name: str, seconds: float) -> str:
    log(f"{name} starts")
    await asyncio.sleep(seconds)  # here the loop is free to run something else
    log(f"{name} ends")
    return name


async def main() -> None:
    coro = job("A (coroutine)", 0.2)  # creates a coroutine object: nothing runs yet
    log("created coroutine A: it has not started")
    task = asyncio.create_task(job("B (task)", 0.2))  # scheduled: will start at main's next await
    log("created task B: it starts as soon as main() awaits something")
    await coro  # A runs now; while A sleeps, the loop runs B
    await task
    log("both done: 0.2 s, not 0.4 s, because B ran while A waited")


if __name__ == "__main__":
    asyncio.run(main())
