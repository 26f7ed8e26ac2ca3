"""The thread pool behind FastAPI/Starlette `def` endpoints is AnyIO's, capped by a limiter of 40 tokens: at most
40 sync endpoints (or other run_in_threadpool calls) run at once; request 41 waits for a free token.
loop.set_default_executor() does not change that cap: AnyIO does not use asyncio's default executor.
Run it: python snippets/anyio_limiter.py
"""

import asyncio
import importlib.metadata
from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.to_thread


async def tokens() -> dict[str, float]:
    limiter = anyio.to_thread.current_default_thread_limiter()
    before = limiter.total_tokens
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=100))
    after_executor = limiter.total_tokens  # unchanged: a different pool
    limiter.total_tokens = 100  # the real knob; in FastAPI/Starlette set it at startup (e.g. in the lifespan)
    return {"default": before, "after set_default_executor": after_executor, "after raising": limiter.total_tokens}


def limiter_tokens() -> dict[str, float]:
    """Run tokens() on a fresh asyncio loop through AnyIO (each run starts from the default limiter)."""
    return anyio.run(tokens, backend="asyncio")


if __name__ == "__main__":
    print(f"AnyIO {importlib.metadata.version('anyio')} thread limiter tokens:")
    for name, value in limiter_tokens().items():
        print(f"  {name:<27} {value:g}")
