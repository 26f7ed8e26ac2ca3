"""For: an async web API whose handlers wait on some async clients and some sync-only ones (boto3, a vendor SDK).

Copy this: await the async clients; send each sync-only call to a thread with asyncio.to_thread, through a pool
sized in the lifespan, a Semaphore, and the library's own timeout (asyncio.timeout cannot stop a thread).
"""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

SDK_TIMEOUT_S = 5.0  # the blocking call's own timeout: the only thing that can end a hung call in a thread
SDK_THREADS = 16  # blocking calls at once, sized on purpose: the default pool has min(32, cores + 4) threads


def upload_receipt(key: str, body: bytes, timeout: float) -> str:
    """Upload with a sync-only SDK: it blocks its thread, so it must never run on the event loop."""
    time.sleep(min(0.05, timeout))  # stands for: s3.put_object(Bucket=..., Key=key, Body=body), read_timeout set
    return f"s3://receipts/{key}"


async def load_order(order_id: int) -> dict[str, object]:
    """Load the order with an async client: awaited directly."""
    await asyncio.sleep(0.02)  # stands for: await pool.fetchrow("SELECT ...", order_id)
    return {"id": order_id, "total": 42}


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Size the pool asyncio.to_thread uses, and shut it down without blocking the loop."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(SDK_THREADS, thread_name_prefix="sdk"))
    app.state.sdk_slots = asyncio.Semaphore(SDK_THREADS)  # excess calls wait here, where cancelling leaves nothing
    yield
    await loop.shutdown_default_executor()


# A handler that is all blocking calls can simply be a plain `def` endpoint: Starlette/FastAPI run those in a thread.
async def checkout(request: Request) -> JSONResponse:
    """Await the async call, hand the blocking one to a thread; the loop serves other requests meanwhile."""
    order = await load_order(int(request.path_params["order_id"]))
    async with request.app.state.sdk_slots:
        url = await asyncio.to_thread(upload_receipt, f"{order['id']}.json", json.dumps(order).encode(), SDK_TIMEOUT_S)
    return JSONResponse({"order": order, "receipt": url})


app = Starlette(routes=[Route("/checkout/{order_id:int}", checkout, methods=["POST"])], lifespan=lifespan)


async def asgi_post(app: ASGIApp, path: str) -> tuple[int, bytes]:
    """Send one POST through the ASGI interface in-process, as uvicorn would (no port is bound)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""}, receive, send)
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def main() -> None:
    """Enter the lifespan by hand (uvicorn does this for you) and send 32 concurrent requests."""
    started = time.perf_counter()
    async with lifespan(app), asyncio.TaskGroup() as tg:
        calls = [tg.create_task(asgi_post(app, f"/checkout/{n}")) for n in range(32)]
    print(f"{len(calls)} requests, blocking uploads overlapped in threads: {time.perf_counter() - started < 0.8}")
    status, body = calls[0].result()
    print(status, json.loads(body))


if __name__ == "__main__":
    asyncio.run(main())
