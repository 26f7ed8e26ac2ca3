import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

cpus = os.cpu_count() or 1
with ThreadPoolExecutor() as pool:
    print(f"ThreadPoolExecutor() workers: {pool._max_workers} = min(32, {cpus} CPUs + 4)")


async def main() -> None:
    await asyncio.to_thread(print, "asyncio.to_thread runs in the loop's default executor: the same default size")


asyncio.run(main())

try:
    import anyio
    import anyio.to_thread
except ImportError:
    print("AnyIO not installed here (FastAPI/Starlette's thread limiter defaults to 40 tokens)")
else:

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    print(f"AnyIO default thread limiter (FastAPI/Starlette def endpoints): {anyio.run(tokens):.0f} tokens")
