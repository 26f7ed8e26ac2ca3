"""For: an async web API with a CPU-heavy endpoint in pure Python (a parser, a report, a scorer).

Copy this: one process pool per server process, created in the lifespan with a "spawn" context and sized on
purpose; CPU steps go to it with run_in_executor, behind a Semaphore; it is shut down off the loop.
"""

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message


def worker_count() -> int:
    """One worker process per usable core, unless CPU_WORKERS=N says otherwise.

    os.cpu_count() counts the host's cores and ignores container CPU quotas (docker --cpus, Kubernetes limits);
    sched_getaffinity honours cpusets only. Under a quota, set CPU_WORKERS=N (or PYTHON_CPU_COUNT=N on 3.13+).
    """
    if explicit := os.environ.get("CPU_WORKERS"):
        return int(explicit)
    if hasattr(os, "process_cpu_count"):  # 3.13+: the affinity mask, or PYTHON_CPU_COUNT when set
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# With `uvicorn --workers N` every server process gets its own pool: give each about cores / N.
CPU_WORKERS = worker_count()


def score(seed: int) -> int:
    """Score one seed: pure Python, holds the GIL; top-level so it can be pickled to a worker process."""
    value = seed
    for _ in range(150_000):
        value = (value * 1_103_515_245 + 12_345) % 2**31
    return value % 1000


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Start the pool with the server; "spawn" because forking a process that runs threads is unsafe."""
    pool = ProcessPoolExecutor(max_workers=CPU_WORKERS, mp_context=multiprocessing.get_context("spawn"))
    app.state.cpu_pool, app.state.cpu_slots = pool, asyncio.Semaphore(2 * CPU_WORKERS)  # bound the queued CPU jobs
    await asyncio.to_thread(pool.map, abs, range(CPU_WORKERS))  # start the workers now, off the loop
    try:
        yield
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)  # waits in a thread, not on the loop


async def score_endpoint(request: Request) -> JSONResponse:
    """Await the worker process; the loop serves other requests meanwhile."""
    async with request.app.state.cpu_slots:
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(request.app.state.cpu_pool, score, request.path_params["seed"])
    return JSONResponse({"seed": request.path_params["seed"], "score": result})


app = Starlette(routes=[Route("/score/{seed:int}", score_endpoint)], lifespan=lifespan)  # uvicorn module:app


async def asgi_get(app: ASGIApp, path: str) -> tuple[int, bytes]:
    """Send one GET through the ASGI interface in-process, as uvicorn would (no port is bound)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive, send)
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def main() -> None:
    """Enter the lifespan by hand (uvicorn does this for you) and send 8 concurrent requests."""
    async with lifespan(app), asyncio.TaskGroup() as tg:
        calls = [tg.create_task(asgi_get(app, f"/score/{seed}")) for seed in range(8)]
    print(
        f"{len(calls)} CPU-heavy requests on {CPU_WORKERS} worker processes:",
        *(c.result()[1].decode() for c in calls[:2]),
    )


if __name__ == "__main__":  # required: the "spawn" workers import this module
    asyncio.run(main())
