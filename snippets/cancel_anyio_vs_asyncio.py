"""Cancelling a thread offload: asyncio.to_thread gives up at once, AnyIO's to_thread.run_sync waits by default.

Each case runs a 0.4 s blocking job in a thread and gives up after 0.1 s. `asyncio.to_thread` (asyncio's default
executor) lets the awaiting task go at 0.1 s. `anyio.to_thread.run_sync`, which FastAPI and Starlette use for `def`
endpoints and `run_in_threadpool`, shields the waiting task by default (`abandon_on_cancel=False`): the cancel scope
ends only when the thread returns. `abandon_on_cancel=True` lets the task go (the thread still runs on). A job that
calls `anyio.from_thread.check_cancelled()` between steps really stops. Needs real threads (CPython).
Run it: python snippets/cancel_anyio_vs_asyncio.py
"""

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable

import anyio
import anyio.from_thread
import anyio.to_thread

JOB_S = 0.4
STEP_S = 0.02
GIVE_UP_S = 0.1


def blocking_job(done: threading.Event) -> None:
    time.sleep(JOB_S)  # a sync SDK call: nothing interrupts it
    done.set()


def stoppable_job(done: threading.Event) -> None:
    for _ in range(int(JOB_S / STEP_S)):
        anyio.from_thread.check_cancelled()  # raises the cancellation exception once the host task is cancelled
        time.sleep(STEP_S)
    done.set()


async def asyncio_to_thread() -> tuple[float, bool]:
    done = threading.Event()
    start = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.to_thread(blocking_job, done), GIVE_UP_S)
    waited, finished = time.perf_counter() - start, done.is_set()
    await asyncio.to_thread(done.wait)  # let the abandoned thread end before the next case
    return waited, finished


async def anyio_run_sync(job: Callable[[threading.Event], None], **options: bool) -> tuple[float, bool]:
    done = threading.Event()
    start = time.perf_counter()
    with anyio.move_on_after(GIVE_UP_S):
        await anyio.to_thread.run_sync(job, done, **options)
    waited, finished = time.perf_counter() - start, done.is_set()
    await anyio.to_thread.run_sync(done.wait, JOB_S)  # let an abandoned thread end before the next case
    return waited, finished


async def main() -> dict[str, tuple[float, bool]]:
    return {
        "asyncio.to_thread": await asyncio_to_thread(),
        "anyio.to_thread.run_sync (default)": await anyio_run_sync(blocking_job),
        "anyio ... abandon_on_cancel=True": await anyio_run_sync(blocking_job, abandon_on_cancel=True),
        "anyio + from_thread.check_cancelled()": await anyio_run_sync(stoppable_job),
    }


def run() -> dict[str, tuple[float, bool]]:
    return asyncio.run(main())


if __name__ == "__main__":
    print(f"a {JOB_S} s job in a thread; the caller gives up after {GIVE_UP_S} s")
    for name, (waited, finished) in run().items():
        print(f"  {name:<38} caller waited {waited:.2f} s; job had finished: {finished}")
