"""Cancelling the await of asyncio.to_thread stops the waiting, not the thread.

A 0.5 s blocking job runs in a thread; we give up on it after 0.1 s with asyncio.wait_for. The await raises
TimeoutError at once, yet the thread keeps running until its job is done: Python cannot interrupt a running thread.
Needs real threads (CPython). Run it: python snippets/cancel_to_thread.py
"""

import asyncio
import threading
import time

JOB_S = 0.5
TIMEOUT_S = 0.1


def blocking_job(seconds: float, done: threading.Event) -> None:
    time.sleep(seconds)  # e.g. a sync SDK call: nothing can stop it half-way
    done.set()


async def main() -> dict[str, float | bool]:
    done = threading.Event()
    start = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.to_thread(blocking_job, JOB_S, done), timeout=TIMEOUT_S)
    except TimeoutError:
        gave_up_at = time.perf_counter() - start
    finished_when_we_gave_up = done.is_set()
    await asyncio.to_thread(done.wait)  # the thread is still running: watch it finish anyway
    return {
        "gave_up_at": gave_up_at,
        "finished_when_we_gave_up": finished_when_we_gave_up,
        "thread_finished_at": time.perf_counter() - start,
    }


def run() -> dict[str, float | bool]:
    return asyncio.run(main())


if __name__ == "__main__":
    result = run()
    print(f"wait_for gave up after        {result['gave_up_at']:.2f} s (TimeoutError)")
    print(f"job finished at that moment?  {result['finished_when_we_gave_up']}")
    print(f"the thread finished its job   {result['thread_finished_at']:.2f} s after the start, cancelled or not")
