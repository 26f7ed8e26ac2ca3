"""The same slow endpoint written three ways, hit by 10 concurrent requests (FastAPI behaves the same: it is
built on Starlette).

- `def` + a blocking call: Starlette runs it in AnyIO's thread pool, so requests overlap.
- `async def` + a blocking call: it runs on the event loop and blocks it, so requests queue up.
- `async def` + an awaited call: the loop serves other requests while this one waits.

No network: httpx2.ASGITransport calls the app in-process. Run it: python snippets/starlette_def_vs_async.py
"""

import asyncio
import time

import httpx2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

CALL_S = 0.1  # how long the "database call" takes
REQUESTS = 10


# --8<-- [start:endpoints]
def sync_endpoint(request: Request) -> PlainTextResponse:
    time.sleep(CALL_S)  # a blocking client library; fine here: Starlette runs `def` endpoints in a thread pool
    return PlainTextResponse("ok")


async def blocking_async_endpoint(request: Request) -> PlainTextResponse:
    time.sleep(CALL_S)  # THE GOTCHA: blocks the event loop, so every other request waits
    return PlainTextResponse("ok")


async def async_endpoint(request: Request) -> PlainTextResponse:
    await asyncio.sleep(CALL_S)  # an async client library: the loop serves other requests meanwhile
    return PlainTextResponse("ok")


# --8<-- [end:endpoints]

app = Starlette(
    routes=[
        Route("/def", sync_endpoint),
        Route("/async-blocking", blocking_async_endpoint),
        Route("/async", async_endpoint),
    ]
)


async def hit(path: str, n: int = REQUESTS) -> float:
    """Send n concurrent requests to path; return the seconds until the last answer."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://app") as client:
        start = time.perf_counter()
        responses = await asyncio.gather(*(client.get(path) for _ in range(n)))
        elapsed = time.perf_counter() - start
    for response in responses:
        response.raise_for_status()
    return elapsed


def measure(n: int = REQUESTS) -> dict[str, float]:
    """Seconds for n concurrent requests to each endpoint."""
    return {path: asyncio.run(hit(path, n)) for path in ("/def", "/async-blocking", "/async")}


if __name__ == "__main__":
    print(f"{REQUESTS} concurrent requests, each endpoint makes one {CALL_S * 1000:.0f} ms call:")
    labels = {
        "/def": "def + blocking call (thread pool)",
        "/async-blocking": "async def + blocking call",
        "/async": "async def + await",
    }
    for path, seconds in measure().items():
        print(f"  {labels[path]:<34} {seconds:.2f} s")
