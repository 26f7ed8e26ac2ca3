"""For: an async web API (Starlette, FastAPI) whose CPU work per request is light: JSON, validation, small sums.

Copy this: keep light CPU inline, cap the body so no request can hold the loop for long, and measure each CPU
step against a budget. Async never makes CPU work faster: a step that outgrows the budget goes to a process pool.
"""

import asyncio
import json
import logging
import statistics
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

MAX_BODY_BYTES = 64_000  # bounds the CPU one request can cost, and so how long it can hold the loop
CPU_BUDGET_S = 0.005  # inline CPU above this per request delays every other request: offload it (async-offload)
log = logging.getLogger(__name__)


def summarise(values: list[float]) -> dict[str, float]:
    """Compute the summary: microseconds for a capped body; plain sync code, easy to test on its own."""
    return {"n": len(values), "mean": statistics.fmean(values), "max": max(values)}


async def stats(request: Request) -> JSONResponse:
    """Await the I/O (the body); run the light CPU inline and check it stayed light."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    started = time.perf_counter()
    result = summarise(json.loads(body))
    if (spent := time.perf_counter() - started) > CPU_BUDGET_S:
        log.warning("stats held the event loop for %.1f ms", spent * 1000)
    return JSONResponse(result)


app = Starlette(routes=[Route("/stats", stats, methods=["POST"])])  # run: uvicorn module:app


async def asgi_post(app: ASGIApp, path: str, body: bytes) -> tuple[int, bytes]:
    """Send one POST through the ASGI interface in-process, as uvicorn would (no port is bound)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""}, receive, send)
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def main() -> None:
    """Send a normal request and an oversized one."""
    for values in ([float(n % 97) for n in range(2_000)], [1.0] * 50_000):
        status, body = await asgi_post(app, "/stats", json.dumps(values).encode())
        print(f"POST /stats with {len(values)} values -> {status} {json.loads(body)}")


if __name__ == "__main__":
    asyncio.run(main())
