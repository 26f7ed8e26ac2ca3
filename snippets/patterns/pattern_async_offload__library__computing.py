"""For: a library with a CPU-heavy function that async callers must not run on their event loop.

Copy this: the sync function does the work; the async wrapper hands it to an executor the caller chooses
(default: the loop's own), so the library starts no pool behind the caller's back and never calls asyncio.run.
"""

import asyncio
import hashlib
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context


def digest(data: bytes, rounds: int = 20_000) -> str:
    """The CPU-heavy part, a plain function (top level, so a process pool can pickle it)."""
    value = data
    for _ in range(rounds):
        value = hashlib.sha256(value).digest()
    return value.hex()[:16]


async def adigest(data: bytes, rounds: int = 20_000, executor: Executor | None = None) -> str:
    """Await digest() off the caller's loop: in `executor` when given (a process pool for pure Python)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, digest, data, rounds)


async def caller() -> None:
    """Caller-side code (not the library's): the caller owns the pool, created with "spawn" (no fork after threads)."""
    pool = ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn"))
    try:
        results = await asyncio.gather(*(adigest(bytes([i]), executor=pool) for i in range(4)))
    finally:
        await asyncio.to_thread(pool.shutdown)  # `with pool:` would block the loop while the workers exit
    print(results)


if __name__ == "__main__":
    print(digest(b"x", rounds=10))
    asyncio.run(caller())
