"""Calling into a running event loop from another thread: only the *_threadsafe functions wake it up.

The loop is idle, parked in its selector until a timer 0.5 s away. A thread then asks it to set an Event. With
`loop.call_soon_threadsafe` the loop wakes at once (it writes to the loop's self-pipe). Plain `loop.call_soon`
from another thread is not thread-safe: nothing wakes the selector, so the callback waits for the next timer
(asyncio's debug mode raises RuntimeError for it instead). `asyncio.run_coroutine_threadsafe` runs a coroutine on
the loop and hands the thread a concurrent.futures.Future to wait on. Needs threads (CPython).
Run it: python snippets/crossing_threads.py
"""

import asyncio
import threading
import time

TIMER_S = 0.5
THREAD_DELAY_S = 0.05


async def woken_after(threadsafe: bool) -> float:
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    timer = loop.call_later(TIMER_S, lambda: None)  # the only thing the idle loop is waiting for
    start = time.perf_counter()

    def from_thread() -> None:
        time.sleep(THREAD_DELAY_S)
        (loop.call_soon_threadsafe if threadsafe else loop.call_soon)(event.set)

    thread = threading.Thread(target=from_thread)
    thread.start()
    await event.wait()
    woke = time.perf_counter() - start
    timer.cancel()
    thread.join()
    return woke


async def double(x: int) -> int:
    await asyncio.sleep(0.01)
    return 2 * x


async def coroutine_from_thread() -> int:
    loop = asyncio.get_running_loop()

    def in_thread() -> int:
        future = asyncio.run_coroutine_threadsafe(double(21), loop)  # runs on the loop, not in this thread
        return future.result(timeout=5)

    return await asyncio.to_thread(in_thread)


async def main() -> dict[str, float | int]:
    return {
        "call_soon_threadsafe": await woken_after(threadsafe=True),
        "call_soon (wrong)": await woken_after(threadsafe=False),
        "run_coroutine_threadsafe result": await coroutine_from_thread(),
    }


def run() -> dict[str, float | int]:
    return asyncio.run(main())


if __name__ == "__main__":
    r = run()
    print(f"a thread sets an asyncio.Event after {THREAD_DELAY_S} s; the loop's next timer is {TIMER_S} s away")
    print(f"  loop.call_soon_threadsafe: the waiting task woke after {r['call_soon_threadsafe']:.2f} s")
    print(f"  loop.call_soon (wrong):    the waiting task woke after {r['call_soon (wrong)']:.2f} s")
    result = r["run_coroutine_threadsafe result"]
    print(f"asyncio.run_coroutine_threadsafe(double(21), loop).result() in a thread: {result}")
