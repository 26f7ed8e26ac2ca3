"""For: a script or pipeline that fans out over many network calls where some libraries are sync-only (boto3).

Copy this: await the async calls; send the sync-only ones to a thread pool you size and install as the loop's
default executor (asyncio.to_thread uses it), with one Semaphore for the fan-out and the library's own timeouts.
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

MAX_IN_FLIGHT = 64  # items in progress at once
UPLOAD_THREADS = 16  # blocking uploads at once: sized on purpose, not the default min(32, cores + 4)
UPLOAD_TIMEOUT_S = 10.0  # the SDK's own timeout: asyncio.timeout cannot interrupt a call running in a thread


async def download(key: int) -> bytes:
    """Async client: awaited on the loop."""
    await asyncio.sleep(0.02)  # stands for: await session.get(f"{SOURCE}/{key}") on an aiohttp session
    return b"x" * key


def upload(key: int, body: bytes, timeout: float) -> int:
    """Sync-only SDK: blocks its thread, so it runs in the pool, never on the loop."""
    time.sleep(min(0.05, timeout))  # stands for: s3.put_object(Bucket=..., Key=str(key), Body=body), read_timeout set
    return len(body)


async def copy_one(key: int, limit: asyncio.Semaphore) -> int:
    """Download (async), then upload (blocking, in a thread)."""
    async with limit:
        body = await download(key)
        return await asyncio.to_thread(upload, key, body, UPLOAD_TIMEOUT_S)


async def main() -> None:
    """Copy 200 objects; asyncio.run shuts the default executor down without blocking the loop."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="upload"))
    limit = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(copy_one(key, limit)) for key in range(200)]
    print(f"copied {len(tasks)} objects, {sum(t.result() for t in tasks):,} bytes, {UPLOAD_THREADS} uploads at a time")


if __name__ == "__main__":
    asyncio.run(main())
