"""Thousands of idle "connections" on one thread: each is a task waiting for a message, like a WebSocket or a
server-sent-events stream that is open but quiet. How much memory does each waiting task cost?
Run it: python snippets/idle_tasks.py (or press Run on the page).
"""

import asyncio
import sys
import time
import tracemalloc

# Fewer in the browser: Pyodide's event loop schedules each wake-up through JavaScript, which is much slower.
CONNECTIONS = 2_000 if sys.platform == "emscripten" else 10_000


async def connection(inbox: asyncio.Event) -> None:
    await inbox.wait()  # idle until a message arrives: costs no CPU, only this task's memory


async def main(n: int = CONNECTIONS) -> float:
    """Hold n idle tasks, wake them all, and return the memory per task in bytes."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    inbox = asyncio.Event()
    tasks = [asyncio.create_task(connection(inbox)) for _ in range(n)]
    await asyncio.sleep(0)  # let every task start and park at its await
    per_task = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    start = time.perf_counter()
    inbox.set()  # one message for everyone
    await asyncio.gather(*tasks)
    woke = time.perf_counter() - start
    print(f"{n:,} idle tasks on one thread: about {per_task / 1024:.1f} KiB of Python memory each")
    print(f"waking all of them and letting them finish took {woke * 1000:.0f} ms")
    return per_task


if __name__ == "__main__":
    asyncio.run(main())
