import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

# The stdlib counts CPUs with os.process_cpu_count() on 3.13+ and os.cpu_count() before; neither reads a
# container's CPU quota (see /escape-hatches/#containers).
counter = "os.process_cpu_count()" if hasattr(os, "process_cpu_count") else "os.cpu_count()"
cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
with ThreadPoolExecutor() as pool:
    print(f"ThreadPoolExecutor() workers: {pool._max_workers} = min(32, {cpus} + 4), with {cpus} from {counter}")


async def main() -> None:
    await asyncio.to_thread(print, "asyncio.to_thread uses the loop's default executor: same size")


asyncio.run(main())

try:
    import anyio
    import anyio.to_thread
except ImportError:
    print("AnyIO not installed here (FastAPI/Starlette's thread limiter defaults to 40 tokens)")
else:

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    print(f"AnyIO's thread limiter (FastAPI/Starlette def endpoints): {anyio.run(tokens):.0f} tokens")
